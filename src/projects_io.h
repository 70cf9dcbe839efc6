/*
 * projects_io.h — the ledger in and out of spreadsheets (docs/PROJECTS.md, "Excel").
 *
 * Export: the ledger of a year up to a month (and a project_filter) as
 * .xlsx (libxlsxwriter: title, two header rows with merges, money in 万元,
 * a totals row, frozen panes, widths for Chinese text), as CSV (UTF-8 with
 * a BOM, the same columns, money in integer 元) and as an OC4IDS project
 * package (JSON).
 *
 * Import: an .xlsx (libzip + expat: the first sheet, shared and inline
 * strings, numbers) or a CSV with the export's columns is read into a
 * sheet of cells, every cell is checked, and when nothing is wrong the
 * rows are written in one transaction (projects upserted by code, the
 * year's plan, the months' completed investment, stage dates, batches).
 * Any bad cell: a report naming it ("C7") and nothing written.
 */
#ifndef ZG_PROJECTS_IO_H
#define ZG_PROJECTS_IO_H

#include "errors.h"
#include "projects.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct db;

/* ---- a sheet of cells, as read from .xlsx or CSV ---------------------------- */

struct sheet_cell {
	int row, col; /* from 0 */
	int is_num;   /* 1: a number cell of the .xlsx (text is its value as written, e.g. "4000.5") */
	char *text;   /* UTF-8, owned */
};

struct sheet {
	struct sheet_cell *cells; /* sorted by row, then col, after reading */
	size_t n, cap;
	int nrows;         /* 1 + the last row that has a cell */
	size_t *row_start; /* cells of row r: row_start[r] .. row_start[r + 1] */
	int default_wan;   /* 1: money in 万元 unless a header says 元 (.xlsx); 0: 元 (CSV) */
};

#define SHEET_MAX_ROWS 10000     /* data rows of an import */
#define SHEET_MAX_COLS 128       /* cells further right are ignored */
#define XLSX_MAX_XML (64L << 20) /* uncompressed bytes read from one .xlsx (zip bomb guard) */

void sheet_release(struct sheet *s);
/* The cell at (row, col), or NULL when empty. */
const struct sheet_cell *sheet_at(const struct sheet *s, int row, int col);

/* Reads the first worksheet of an .xlsx held in data[0..len). Returns 0, or
 * -1 with err (invalid_import with a message naming the problem, or 413
 * when the content passes XLSX_MAX_XML). */
int sheet_read_xlsx(const void *data, size_t len, struct sheet *s, struct zerr *err);
/* Reads RFC 4180 CSV (UTF-8, a BOM skipped). Returns 0 or -1 with err. */
int sheet_read_csv(const char *text, size_t len, struct sheet *s, struct zerr *err);

/* "A", "B", ... "AA" for a 0-based column. */
void sheet_col_name(int col, char *out, size_t outlen);

/* ---- export ------------------------------------------------------------------ */

/* "province,city" → level bits of struct project_filter. 0, or -1 on an unknown name. */
int project_levels_parse(const char *s, unsigned *levels);

/* The ledger as an .xlsx file in memory (*out malloc'd). 0 or -1 with err. */
int projects_export_xlsx(struct db *db, const struct project_filter *f, char **out, size_t *len, struct zerr *err);
/* The ledger as CSV (UTF-8 with BOM, money in 元). 0 or -1 with err. */
int projects_export_csv(struct db *db, const struct project_filter *f, char **out, size_t *len, struct zerr *err);
/* An OC4IDS project package of the projects the filter selects; NULL with err. */
json_t *projects_export_oc4ids(struct db *db, const struct project_filter *f, struct zerr *err);

/* ---- import ------------------------------------------------------------------ */

struct projects_import_result {
	json_t *report; /* [{row, column, cell, field, message, message_en}], at most PROJECTS_REPORT_MAX */
	int problems;   /* problems found (may exceed the report's length) */
	int rows;       /* data rows read */
	int added, updated;
};

#define PROJECTS_REPORT_MAX 200

/* Checks every cell of the sheet and, when all are right and dry_run is 0,
 * writes the rows in one transaction. Returns 0 (clean; written unless a dry
 * run), 1 (problems in res->report, nothing written) or -1 (store error,
 * err filled). The caller releases res->report in every case. */
int projects_import(struct db *db, const struct sheet *s, int dry_run, struct projects_import_result *res,
                    struct zerr *err);

#endif
