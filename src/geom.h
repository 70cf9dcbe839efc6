/*
 * geom.h — polygons in memory: parsing GeoJSON, point-in-polygon, areas.
 *
 * A shape is a Polygon or MultiPolygon flattened into rings: every ring
 * (exterior or hole, of any member polygon) is a closed run of vertices
 * (x = longitude, y = latitude, WGS-84 degrees; the closing vertex is stored).
 * Point-in-polygon is the crossing-number (even-odd) test over all rings,
 * which is right for valid polygons, holes and multipolygons alike.
 *
 * Boundary rule (documented in docs/GRID.md): an edge crossing is counted
 * when the edge straddles the point's latitude half-open (one end > y, the
 * other <= y) and lies strictly east of the point. Hence a point exactly on
 * an edge shared by two cells belongs to the cell east of the edge, and on
 * an east-west edge to the cell north of it; a vertex shared by several
 * cells belongs to exactly one of them. Every point of a tiling therefore
 * falls in exactly one cell, with no tolerance and no special case.
 */
#ifndef ZG_GEOM_H
#define ZG_GEOM_H

#include "errors.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct bbox {
	double minx, miny, maxx, maxy;
};

struct shape {
	double *xy; /* 2 * nverts doubles: x0 y0 x1 y1 ... */
	uint32_t nverts;
	uint32_t *ring_end; /* ring i is vertices [ring_end[i-1], ring_end[i]) */
	uint32_t nrings;
	uint32_t *poly_ring; /* first ring of each member polygon (its exterior) */
	uint32_t npolys;
	struct bbox box;
};

/* Limits on what a shape read from outside may hold. */
#define GEOM_MAX_VERTICES 200000

void shape_init(struct shape *s);
void shape_release(struct shape *s); /* accepts an initialised or zeroed shape */

/*
 * Reads a GeoJSON geometry object (Polygon or MultiPolygon, [lon, lat]
 * positions) into s (initialised). Returns 0, or -1 with err: ZE_INVALID_FIELD
 * with a message naming the defect and its position ("polygon 1, ring 0,
 * position 4: longitude out of range"). Checks: type, nesting, numbers,
 * finite and in range, at least 4 positions per ring, ring closed.
 * Self-intersections are not checked here (see unit_import.c, GEOS).
 */
int shape_from_geojson(json_t *geometry, struct shape *s, struct zerr *err);

/* GeoJSON geometry of the shape; new reference. */
json_t *shape_to_geojson(const struct shape *s);

/* 1 when (x, y) is inside under the boundary rule above, else 0. */
int shape_contains(const struct shape *s, double x, double y);
/* The same test on one run of rings: xy vertices, ring_end offsets. */
int rings_contain(const double *xy, const uint32_t *ring_end, uint32_t nrings, double x, double y);

/* Planar area in square degrees (holes subtracted). */
double shape_area_deg2(const struct shape *s);
/* Approximate area in m² (equirectangular at the shape's mid-latitude;
 * within 0.1 % for cells of a few km). */
double shape_area_m2(const struct shape *s);
/* Square degrees to m² at latitude lat. */
double geom_deg2_to_m2(double deg2, double lat);

/* Distance in metres between two WGS-84 points (haversine). */
double geom_distance_m(double lat1, double lon1, double lat2, double lon2);

#endif
