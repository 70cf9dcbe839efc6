/*
 * categories.h — the case category catalog (事件/部件, 大类/小类) with the
 * routing and the stage time limits of each category.
 *
 * A category is a 大类 (no parent) or a 小类 whose parent is a 大类 of the
 * same kind; the tree has two levels. Each names who handles its cases
 * (handled_by "grid", or "department" with a department), four stage limits
 * (accept, dispatch, handle, verify; each an amount 1..10000 in work_hours,
 * work_days or hours), a priority (1 urgent, 2 normal, 3 low), whether grid
 * patrol reports are accepted at once (auto_accept) and whether it is
 * offered at all (active).
 *
 * Rules: code [A-Z0-9]{2,16}; name 1–32 characters of text without control
 * characters or surrounding spaces; parent_code empty or an existing 大类 of
 * the same kind (from the store or the same import), not the code itself; a
 * category with 小类 cannot become a 小类, nor change kind away from theirs;
 * department given exactly when handled_by is "department", and existing.
 *
 * Writes happen in one transaction together with an audit_log row; an
 * import also records a row in imports. On any problem nothing is written.
 *
 * The CSV format (data/README.md): UTF-8 (a BOM is skipped), RFC 4180
 * quoting (fields with commas, quotes or line breaks in double quotes, ""
 * for a quote), lines ending in LF or CRLF, a header line naming the
 * columns in any order: code, name, parent_code, kind, handled_by,
 * department_code, accept_limit, accept_unit, dispatch_limit, dispatch_unit,
 * handle_limit, handle_unit, verify_limit, verify_unit, priority,
 * auto_accept, and optionally active (0/1; without it new categories are
 * active and existing ones keep their flag). Empty lines are skipped.
 */
#ifndef ZG_CATEGORIES_H
#define ZG_CATEGORIES_H

#include "errors.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

enum category_stage { CAT_ACCEPT, CAT_DISPATCH, CAT_HANDLE, CAT_VERIFY, CAT_NSTAGES };

#define CATEGORY_LIMIT_MAX 10000
#define CATEGORY_REPORT_MAX 200

struct category_limit {
	int amount;
	char unit[12]; /* "work_hours", "work_days", "hours" */
};

struct category {
	int64_t id;
	char code[20];
	char name[132];           /* at most 32 characters of UTF-8 */
	char parent_code[20];     /* "" for a 大类 */
	char kind[12];            /* "event" or "component" */
	char handled_by[12];      /* "grid" or "department" */
	int64_t department_id;    /* 0 when handled by the grid */
	char department_code[40]; /* "" when handled by the grid */
	char department_name[260];
	struct category_limit limits[CAT_NSTAGES];
	int priority;
	int auto_accept;
	int active;
	int64_t created_at, updated_at; /* ms */
};

/* The fields of a category as text, as a CSV row or a JSON body gives
 * them. NULL means "not given"; "" for parent_code or department means
 * none. Borrowed strings; the buffers hold numbers formatted from JSON. */
enum category_field {
	CF_CODE,
	CF_NAME,
	CF_PARENT,
	CF_KIND,
	CF_HANDLED_BY,
	CF_DEPARTMENT,
	CF_ACCEPT_LIMIT,
	CF_ACCEPT_UNIT,
	CF_DISPATCH_LIMIT,
	CF_DISPATCH_UNIT,
	CF_HANDLE_LIMIT,
	CF_HANDLE_UNIT,
	CF_VERIFY_LIMIT,
	CF_VERIFY_UNIT,
	CF_PRIORITY,
	CF_AUTO_ACCEPT,
	CF_ACTIVE,
	CF__COUNT
};

struct category_input {
	const char *f[CF__COUNT];
	char num[CF__COUNT][24];
};

void category_input_init(struct category_input *in);

/* Fills *in from a PUT body: {name, parent_code, kind, handled_by,
 * department (code string, {"code":…} or null), limits {accept|dispatch|
 * handle|verify: {amount, unit}}, priority, auto_accept, active, code
 * (optional, must equal the path's)}. The strings are borrowed from obj.
 * Type errors go to err with the JSON field name. Returns 0 or -1. */
int category_input_from_json(json_t *obj, struct category_input *in, struct zerr *err);

/* Creates or replaces the category code with the fields of in (priority
 * defaults to 2 and auto_accept to 0 when absent; active keeps its value,
 * or 1 for a new category). Returns 0 with *out filled and *created set, or
 * -1 with err (ZE_MISSING_FIELD / ZE_INVALID_FIELD naming the JSON field,
 * ZE_STORE). */
int category_put(struct db *db, const char *code, const struct category_input *in, const char *actor,
                 struct category *out, int *created, struct zerr *err);

/* Returns 0 found, 1 not found, -1 store error. */
int category_get(struct db *db, const char *code, struct category *out);

/* All categories ordered by code as a new JSON array; public 1 leaves out
 * inactive categories (and 小类 of inactive 大类), department ids and
 * auto_accept. Returns NULL on a store error. */
json_t *category_list_json(struct db *db, int public_view);

/* JSON of one category (see category_list_json for public_view). */
json_t *category_to_json(const struct category *c, int public_view);

/* Calls fn for each category ordered by code; returns 0 or -1 (store error
 * or fn returned non-zero). */
int category_each(struct db *db, int (*fn)(const struct category *c, void *arg), void *arg);

struct category_import_options {
	int dry_run;
	const char *actor;  /* recorded in audit_log and imports */
	const char *source; /* file name or "api" */
};

struct category_import_result {
	json_t *report; /* array of {line, column (or null), message, message_en}, at most CATEGORY_REPORT_MAX */
	int problems;   /* number of problems found (may exceed the report's length) */
	int rows;       /* data rows read */
	int added, updated, unchanged;
};

/*
 * Imports a CSV catalog (text[0..len), need not be NUL-terminated): checks
 * every row against the rules and the store, and when nothing is wrong and
 * this is not a dry run, adds or updates the rows by code in one
 * transaction. Categories absent from the file are left as they are.
 * Returns 0 (clean; written unless dry run), 1 (problems in res->report;
 * nothing written) or -1 (store failure, err filled). The caller releases
 * res->report (json_decref) in every case.
 */
int category_import_csv(struct db *db, const char *text, size_t len, const struct category_import_options *o,
                        struct category_import_result *res, struct zerr *err);

/* Prints the report as lines "FILE:LINE: column NAME: message" to f (a FILE *). */
void category_import_print(const struct category_import_result *res, const char *file, void *f);

/* The default catalog shipped with zonegov (data/categories.csv, compiled
 * in by categories_default.c) and its length in bytes. */
extern const char category_default_csv[];
extern const size_t category_default_csv_len;

/* Imports the default catalog (the demo does this). Returns 0 or -1 with err. */
int category_import_default(struct db *db, const char *actor, struct zerr *err);

/* The CSV column names, indexed by enum category_field. */
extern const char *const category_csv_columns[CF__COUNT];

/*
 * A small RFC 4180 reader, exposed for the tests. category_csv_read reads
 * the record that starts at the reader's position, skipping empty lines:
 * rec->field[i] (i < CATEGORY_CSV_MAX_FIELDS) are NUL-terminated copies
 * owned by the reader and valid until the next call, each with the line on
 * which it starts; rec->nfields counts every field, kept or not. Returns
 * the number of fields, 0 at the end of the text, or -1 on malformed
 * quoting (or a NUL byte) with *err_zh, *err_en (static) and *errline set;
 * reading then goes on at the next line.
 */
struct category_csv {
	const char *text;
	size_t len, pos;
	int line;    /* line of the next character, from 1 */
	char *store; /* field text, owned */
	size_t store_len, store_cap;
};

#define CATEGORY_CSV_MAX_FIELDS 32

struct category_csv_record {
	int nfields;
	int line; /* line where the record starts */
	const char *field[CATEGORY_CSV_MAX_FIELDS];
	size_t field_len[CATEGORY_CSV_MAX_FIELDS];
	int field_line[CATEGORY_CSV_MAX_FIELDS];
};

/* Starts reading text[0..len) (borrowed), skipping a UTF-8 BOM. */
void category_csv_init(struct category_csv *r, const char *text, size_t len);
void category_csv_release(struct category_csv *r);
int category_csv_read(struct category_csv *r, struct category_csv_record *rec, const char **err_zh, const char **err_en,
                      int *errline);

#endif
