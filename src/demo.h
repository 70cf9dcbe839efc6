/*
 * demo.h — the deterministic demo data set.
 */
#ifndef ZG_DEMO_H
#define ZG_DEMO_H

#include "errors.h"

#include <jansson.h>

struct db;

/* The grid the demo grid leader and grid worker are responsible for. */
#define DEMO_GRID_CODE "410972060001001"

/* Writes departments and the seven demo users (password pw) into an empty
 * store. Returns 0, or -1 with err. */
int demo_fill(struct db *db, const char *pw, struct zerr *err);

struct workcal;
/* Sample cases in every state of the workflow, filed and moved along as
 * the demo users (demo_samples.c), into a store demo_fill has filled.
 * Returns 0, or -1 with err. */
int demo_samples_fill(struct db *db, const struct workcal *cal, struct zerr *err);

/* The key projects ledger of seed 000 (2022) and this year's progress of
 * the projects still being built (demo_projects.c). Returns 0 or -1 with err. */
int demo_projects_fill(struct db *db, struct zerr *err);

/* The demo zone as a GeoJSON FeatureCollection (new reference), or NULL. */
json_t *demo_zone_geojson(void);
/* Imports the demo zone. Returns 0 or -1 with err. */
int demo_zone_fill(struct db *db, struct zerr *err);

#endif
