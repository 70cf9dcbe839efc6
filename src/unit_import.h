/*
 * unit_import.h — importing the unit hierarchy from GeoJSON, all or nothing.
 *
 * Input: a FeatureCollection whose features carry properties code, name,
 * level (zone|street|community|grid|microgrid) and parent_code (null for a
 * zone), and a Polygon or MultiPolygon geometry (WGS-84; required from
 * community level down, optional above).
 *
 * Every defect found is reported, each with the feature (1-based position
 * and code) and a kind:
 *   bad_feature, missing_code, bad_code, duplicate_code, bad_name, bad_level,
 *   missing_geometry, bad_geometry (type, nesting, numbers, range, too few
 *   points, unclosed ring), invalid_geometry (GEOS: self-intersection, ring
 *   self-intersection, nested shells ... with the location), unknown_parent,
 *   wrong_parent_level, level_changed, outside_parent (area outside the
 *   parent, m² and share), overlap (with the sibling's code and the overlap
 *   area in m²), gap (share of the parent its children leave uncovered).
 * Checks take the store and the file together: a new grid is checked
 * against the community already stored, and against its stored siblings.
 * So that one defect does not show as others that are not there, a feature
 * with a problem of its own (or sharing its code with an earlier one) takes
 * no part in the relation checks, and the coverage of its parent is not
 * judged, since its absence would show as a gap; a feature whose parent is
 * unknown leaves every unit of the level above unjudged. A gap hidden so
 * shows once the other problems are fixed.
 *
 * When anything is wrong nothing is written. Otherwise the units are added
 * or updated by code in one transaction; an update that changes a unit
 * copies its previous version to unit_history and raises its version;
 * units absent from the file are left as they are.
 */
#ifndef ZG_UNIT_IMPORT_H
#define ZG_UNIT_IMPORT_H

#include "errors.h"

#include <jansson.h>

struct db;

struct import_options {
	int dry_run;
	double outside_tolerance;    /* share of a child's area allowed outside its parent (default 0.001) */
	double overlap_tolerance_m2; /* overlap between siblings allowed, m² (default 1) */
	double gap_tolerance;        /* share of a parent allowed uncovered by its children (default 0.001) */
	const char *actor;
	const char *source; /* file name or "api", recorded with the import */
};

void import_options_init(struct import_options *o);

struct import_result {
	json_t *problems; /* array of {feature, code, kind, message, message_en, ...}; owned */
	int features;
	int added, updated, unchanged;
};

/*
 * Validates fc and, when it is clean and not a dry run, writes it.
 * Returns 0 (clean; written unless dry run), 1 (problems in res->problems;
 * nothing written), or -1 (store or internal failure, err filled).
 * res->problems must be released by the caller (json_decref) in all cases.
 */
int unit_import(struct db *db, json_t *fc, const struct import_options *o, struct import_result *res, struct zerr *err);

/* Prints the problems as lines "FILE: feature N (code C): message" to f. */
void unit_import_print(const struct import_result *res, const char *file, void *f);

#endif
