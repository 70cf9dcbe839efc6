/*
 * geom.c — shapes from GeoJSON, point-in-polygon, areas; see geom.h.
 */
#include "geom.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EARTH_RADIUS_M 6371008.8
#define DEG2RAD (M_PI / 180.0)

void shape_init(struct shape *s)
{
	memset(s, 0, sizeof *s);
}

void shape_release(struct shape *s)
{
	if (!s)
		return;
	free(s->xy);
	free(s->ring_end);
	free(s->poly_ring);
	shape_init(s);
}

/* Growable arrays while parsing. */
struct builder {
	double *xy;
	size_t nverts, capv;
	uint32_t *ring_end;
	size_t nrings, capr;
	uint32_t *poly_ring;
	size_t npolys, capp;
};

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	while (c < need)
		c *= 2;
	void *q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int fail_at(struct zerr *err, size_t poly, size_t ring, long pos, const char *zh, const char *en)
{
	char mzh[256], men[256];
	if (pos >= 0) {
		snprintf(mzh, sizeof mzh, "第 %zu 个多边形第 %zu 个环第 %ld 个坐标:%s", poly + 1, ring + 1, pos + 1,
		         zh);
		snprintf(men, sizeof men, "polygon %zu, ring %zu, position %ld: %s", poly + 1, ring + 1, pos + 1, en);
	} else {
		snprintf(mzh, sizeof mzh, "第 %zu 个多边形第 %zu 个环:%s", poly + 1, ring + 1, zh);
		snprintf(men, sizeof men, "polygon %zu, ring %zu: %s", poly + 1, ring + 1, en);
	}
	return zerr_set(err, ZE_INVALID_FIELD, "geometry", mzh, men);
}

static int read_polygon(json_t *rings, struct builder *b, size_t poly, struct zerr *err)
{
	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return fail_at(err, poly, 0, -1, "多边形须为非空的环数组",
		               "a polygon must be a non-empty array of rings");
	if (grow((void **)&b->poly_ring, &b->capp, b->npolys + 1, sizeof *b->poly_ring))
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	b->poly_ring[b->npolys++] = (uint32_t)b->nrings;
	size_t r;
	json_t *ring;
	json_array_foreach (rings, r, ring) {
		size_t n = json_is_array(ring) ? json_array_size(ring) : 0;
		if (!json_is_array(ring))
			return fail_at(err, poly, r, -1, "嵌套层次有误:环须为坐标数组",
			               "wrong nesting: a ring must be an array of positions");
		/* One level too shallow ([x, y] where a ring belongs) or too deep. */
		json_t *head = json_array_get(ring, 0);
		if (json_is_number(head) || (json_is_array(head) && json_is_array(json_array_get(head, 0))))
			return fail_at(err, poly, r, -1, "嵌套层次有误:环须为 [经度, 纬度] 坐标的数组",
			               "wrong nesting: a ring must be an array of [longitude, latitude] positions");
		if (n < 4)
			return fail_at(err, poly, r, -1, "环至少需要4个坐标(首尾相同)",
			               "too few points: a ring needs at least 4 positions (first = last)");
		if (b->nverts + n > GEOM_MAX_VERTICES)
			return fail_at(err, poly, r, -1, "顶点过多", "too many vertices in one geometry");
		if (grow((void **)&b->xy, &b->capv, 2 * (b->nverts + n), sizeof *b->xy) ||
		    grow((void **)&b->ring_end, &b->capr, b->nrings + 1, sizeof *b->ring_end))
			return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
		size_t i;
		json_t *pos;
		json_array_foreach (ring, i, pos) {
			json_t *jx = json_array_get(pos, 0), *jy = json_array_get(pos, 1);
			if (!json_is_array(pos) || json_array_size(pos) < 2 || json_array_size(pos) > 3 ||
			    !json_is_number(jx) || !json_is_number(jy))
				return fail_at(err, poly, r, (long)i, "坐标须为 [经度, 纬度] 数值",
				               "a position must be [longitude, latitude] numbers");
			double x = json_number_value(jx), y = json_number_value(jy);
			if (!isfinite(x) || x < -180 || x > 180)
				return fail_at(err, poly, r, (long)i, "经度超出范围 [-180, 180]",
				               "longitude out of range [-180, 180]");
			if (!isfinite(y) || y < -90 || y > 90)
				return fail_at(err, poly, r, (long)i, "纬度超出范围 [-90, 90]",
				               "latitude out of range [-90, 90]");
			b->xy[2 * (b->nverts + i)] = x;
			b->xy[2 * (b->nverts + i) + 1] = y;
		}
		const double *first = &b->xy[2 * b->nverts], *last = &b->xy[2 * (b->nverts + n - 1)];
		if (first[0] != last[0] || first[1] != last[1])
			return fail_at(err, poly, r, -1, "环未闭合(首尾坐标不同)",
			               "unclosed ring: first and last positions differ");
		b->nverts += n;
		b->ring_end[b->nrings++] = (uint32_t)b->nverts;
	}
	return 0;
}

int shape_from_geojson(json_t *g, struct shape *s, struct zerr *err)
{
	struct builder b = {0};
	const char *type = json_string_value(json_object_get(g, "type"));
	json_t *coords = json_object_get(g, "coordinates");
	int rc = -1;
	if (!json_is_object(g) || !type) {
		zerr_set(err, ZE_INVALID_FIELD, "geometry", "缺少几何对象或其类型",
		         "geometry object or its type is missing");
		goto out;
	}
	if (strcmp(type, "Polygon") == 0) {
		rc = read_polygon(coords, &b, 0, err);
	} else if (strcmp(type, "MultiPolygon") == 0) {
		if (!json_is_array(coords) || json_array_size(coords) == 0) {
			zerr_set(err, ZE_INVALID_FIELD, "geometry", "MultiPolygon 须为非空多边形数组",
			         "a MultiPolygon must be a non-empty array of polygons");
			goto out;
		}
		size_t i;
		json_t *p;
		rc = 0;
		json_array_foreach (coords, i, p)
			if ((rc = read_polygon(p, &b, i, err)) != 0)
				break;
	} else {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "几何类型须为 Polygon 或 MultiPolygon,而不是 %.40s", type);
		snprintf(en, sizeof en, "geometry must be a Polygon or MultiPolygon, not %.40s", type);
		zerr_set(err, ZE_INVALID_FIELD, "geometry", zh, en);
		goto out;
	}
	if (rc)
		goto out;
	shape_init(s);
	s->xy = b.xy;
	s->nverts = (uint32_t)b.nverts;
	s->ring_end = b.ring_end;
	s->nrings = (uint32_t)b.nrings;
	s->poly_ring = b.poly_ring;
	s->npolys = (uint32_t)b.npolys;
	s->box = (struct bbox){INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (uint32_t i = 0; i < s->nverts; i++) {
		double x = s->xy[2 * i], y = s->xy[2 * i + 1];
		s->box.minx = fmin(s->box.minx, x);
		s->box.maxx = fmax(s->box.maxx, x);
		s->box.miny = fmin(s->box.miny, y);
		s->box.maxy = fmax(s->box.maxy, y);
	}
	return 0;
out:
	free(b.xy);
	free(b.ring_end);
	free(b.poly_ring);
	return -1;
}

json_t *shape_to_geojson(const struct shape *s)
{
	json_t *polys = json_array();
	for (uint32_t p = 0; p < s->npolys; p++) {
		uint32_t r0 = s->poly_ring[p], r1 = p + 1 < s->npolys ? s->poly_ring[p + 1] : s->nrings;
		json_t *rings = json_array();
		for (uint32_t r = r0; r < r1; r++) {
			json_t *ring = json_array();
			for (uint32_t v = r ? s->ring_end[r - 1] : 0; v < s->ring_end[r]; v++)
				json_array_append_new(ring, json_pack("[f,f]", s->xy[2 * v], s->xy[2 * v + 1]));
			json_array_append_new(rings, ring);
		}
		json_array_append_new(polys, rings);
	}
	if (s->npolys == 1) {
		json_t *only = json_incref(json_array_get(polys, 0));
		json_decref(polys);
		return json_pack("{s:s,s:o}", "type", "Polygon", "coordinates", only);
	}
	return json_pack("{s:s,s:o}", "type", "MultiPolygon", "coordinates", polys);
}

int rings_contain(const double *xy, const uint32_t *ring_end, uint32_t nrings, double x, double y)
{
	int inside = 0;
	uint32_t start = 0;
	for (uint32_t r = 0; r < nrings; r++) {
		uint32_t end = ring_end[r];
		/* The closing vertex repeats the first: edges are (v, v+1). */
		for (uint32_t v = start; v + 1 < end; v++) {
			double x1 = xy[2 * v], y1 = xy[2 * v + 1], x2 = xy[2 * v + 2], y2 = xy[2 * v + 3];
			if ((y1 > y) != (y2 > y)) {
				/* From the lower end, whichever way the ring runs: the two
				 * cells that share an edge walk it in opposite directions
				 * and must get the same crossing, bit for bit. */
				if (y1 > y2) {
					double tx = x1, ty = y1;
					x1 = x2;
					y1 = y2;
					x2 = tx;
					y2 = ty;
				}
				double xi = x1 + (y - y1) * (x2 - x1) / (y2 - y1);
				if (x < xi)
					inside = !inside;
			}
		}
		start = end;
	}
	return inside;
}

int shape_contains(const struct shape *s, double x, double y)
{
	if (x < s->box.minx || x > s->box.maxx || y < s->box.miny || y > s->box.maxy)
		return 0;
	return rings_contain(s->xy, s->ring_end, s->nrings, x, y);
}

double shape_area_deg2(const struct shape *s)
{
	double total = 0;
	uint32_t start = 0;
	for (uint32_t r = 0; r < s->nrings; r++) {
		double a = 0;
		for (uint32_t v = start; v + 1 < s->ring_end[r]; v++)
			a += s->xy[2 * v] * s->xy[2 * v + 3] - s->xy[2 * v + 2] * s->xy[2 * v + 1];
		a = fabs(a) / 2;
		/* Exterior rings add, holes subtract. */
		int exterior = 0;
		for (uint32_t p = 0; p < s->npolys; p++)
			exterior |= s->poly_ring[p] == r;
		total += exterior ? a : -a;
		start = s->ring_end[r];
	}
	return total;
}

double geom_deg2_to_m2(double deg2, double lat)
{
	double m_per_deg = EARTH_RADIUS_M * DEG2RAD;
	return deg2 * m_per_deg * m_per_deg * cos(lat * DEG2RAD);
}

double shape_area_m2(const struct shape *s)
{
	return geom_deg2_to_m2(shape_area_deg2(s), (s->box.miny + s->box.maxy) / 2);
}

double geom_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	double dlat = (lat2 - lat1) * DEG2RAD, dlon = (lon2 - lon1) * DEG2RAD;
	double a = sin(dlat / 2) * sin(dlat / 2) +
	           cos(lat1 * DEG2RAD) * cos(lat2 * DEG2RAD) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * EARTH_RADIUS_M * asin(fmin(1.0, sqrt(a)));
}
