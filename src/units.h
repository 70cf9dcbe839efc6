/*
 * units.h — the zone's hierarchy (zone → street → community → grid →
 * micro-grid), its people, and the in-memory directory used to locate a
 * point.
 *
 * Codes (docs/GRID.md): a zone has its 6-digit county-level code (410972),
 * a street or town its 9-digit statistical code (410972100), a community or
 * village its 12-digit code; a grid extends its community's code with a
 * 3-digit sequence (15 digits, as GB/T 30428.1 / DB11 lay out the unit-grid
 * code) and a micro-grid its grid's code with 3 more (18 digits).
 *
 * The directory (struct unit_dir) is an immutable snapshot of all units with
 * the locate index over the finest cells. It is reference-counted: readers
 * take it with unit_dir_acquire and give it back with unit_dir_release; an
 * import builds a new one and swaps it in (unit_dir_swap), and the old one
 * is freed when its last reader lets go.
 */
#ifndef ZG_UNITS_H
#define ZG_UNITS_H

#include "errors.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>

struct db;
struct buf;
struct grid_index;

enum unit_level { UL_ZONE = 0, UL_STREET, UL_COMMUNITY, UL_GRID, UL_MICROGRID, UL__COUNT };

const char *unit_level_name(int level);
const char *unit_level_zh(int level);
/* Level for a name, or -1. */
int unit_level_parse(const char *name);

struct unit_entry {
	int64_t id;
	char *code;
	char *name;
	int level;
	int32_t parent; /* index of the parent entry, -1 for a zone */
	double label_lat, label_lon;
	int has_label;
};

struct unit_dir {
	struct unit_entry *e;
	uint32_t n;
	struct grid_index *index; /* over the finest cells; NULL when there are none */
	int32_t *by_code;         /* entry indexes sorted by code (unit_dir_find) */
	int refs;                 /* guarded by the holder's mutex */
	double build_ms;
};

/* Loads every unit and builds the index. Returns 0 or -1 with err filled. */
int unit_dir_load(struct db *db, struct unit_dir **out, struct buf *err);
void unit_dir_free(struct unit_dir *d); /* accepts NULL */
/* Entry index of the unit with this code, or -1 (binary search). */
int32_t unit_dir_find(const struct unit_dir *d, const char *code);
/* Entry index of the finest unit containing the WGS-84 point, or -1. */
int32_t unit_dir_locate(const struct unit_dir *d, double lat, double lon);

/* Holder of the current directory (one per server). */
struct unit_dir_holder {
	pthread_mutex_t mu;
	struct unit_dir *cur;
};
void unit_dir_holder_init(struct unit_dir_holder *h);
void unit_dir_holder_release(struct unit_dir_holder *h);
struct unit_dir *unit_dir_acquire(struct unit_dir_holder *h); /* NULL when none loaded */
void unit_dir_release(struct unit_dir_holder *h, struct unit_dir *d);
/* Installs d (consumes it); the previous directory goes when unused. */
void unit_dir_swap(struct unit_dir_holder *h, struct unit_dir *d);
/* Reloads from the store and swaps. Returns 0 or -1 with err. */
int unit_dir_reload(struct unit_dir_holder *h, struct db *db, struct buf *err);

/* People of a unit: [{"id","username","name","duty","phone"}]; phones masked
 * unless show_phone. Returns a new array or NULL on a store error. */
json_t *unit_people_json(struct db *db, int64_t unit_id, int show_phone);

/* Assigns a person to a unit (duty: leader, grid_leader, grid_worker,
 * microgrid_worker). Returns 0 or -1 with err. */
int unit_people_add(struct db *db, const char *unit_code, const char *username, const char *duty, struct zerr *err);

/* One unit with parent code, people, label point and geometry; NULL + err
 * when absent (ZE_NOT_FOUND) or on a store error. */
json_t *unit_get_json(struct db *db, const char *code, int show_phone, struct zerr *err);

/* Page of units: level (-1 any), parent code (NULL any), q (substring of
 * code or name, NULL any). Returns 0 or -1. */
int unit_list_json(struct db *db, int level, const char *parent, const char *q, int page, int per_page, json_t **items,
                   int64_t *total);

/* GeoJSON FeatureCollection of units with geometry at a level, optionally
 * under one parent code. NULL on a store error. */
json_t *unit_features_json(struct db *db, int level, const char *parent);

#endif
