/*
 * case_overdue.c — the overdue scanner; see case_overdue.h.
 */
#include "case_overdue.h"
#include "cases.h"
#include "db.h"
#include "log.h"
#include "timeutil.h"
#include "workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct candidate {
	int64_t id;
	int version;
	char status[12];
	char stage[12];
	int64_t deadline;
	int64_t department_id; /* 0: routed to the grid */
	char grid[40];
	int red; /* already has a red 督办 */
};

static const char SQL_DUE[] =
        "SELECT id, version, status, stage, deadline, route, department_id, grid_code, supervision FROM cases"
        " WHERE overdue = 0 AND deadline IS NOT NULL AND deadline < ? AND status NOT IN ('rejected', 'closed')"
        " ORDER BY deadline LIMIT ?";

static const char SQL_MARK[] =
        "UPDATE cases SET overdue = 1, supervision = COALESCE(supervision, 'yellow'),"
        " escalate_at = CASE WHEN supervision = 'red' THEN NULL ELSE ? END, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ? AND overdue = 0 RETURNING id";

static const char SQL_ESCALATE_DUE[] =
        "SELECT id, version, status FROM cases WHERE escalate_at IS NOT NULL AND escalate_at < ? AND overdue = 1"
        " ORDER BY escalate_at LIMIT ?";

static const char SQL_ESCALATE[] =
        "UPDATE cases SET supervision = 'red', escalate_at = NULL, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ? AND overdue = 1 AND escalate_at IS NOT NULL RETURNING id";

static const char *stage_zh(const char *stage)
{
	static const char *const names[][2] = {
	        {"accept", "受理"}, {"dispatch", "派遣"}, {"handle", "处置"}, {"verify", "核查"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(stage, names[i][0]) == 0)
			return names[i][1];
	return stage;
}

/* Runs an UPDATE ... RETURNING id inside a transaction; 1 when it changed the row, 0 when not, -1 on error. */
static int step_returning(struct db_stmt *st)
{
	int rc = db_step(st);
	int changed = rc == DB_ROW;
	if (changed)
		rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? changed : -1;
}

static int mark_one(struct db *db, const struct workcal *cal, const struct candidate *c, int64_t now)
{
	int64_t escalate;
	if (workcal_add(cal, c->deadline, CASE_RED_AFTER_WORK_DAYS, WORKCAL_WORK_DAYS, &escalate) != 0)
		escalate = c->deadline + 7LL * 86400 * 1000; /* the calendar does not reach: a calendar week */
	if (db_begin(db) != DB_OK)
		return -1;
	struct db_stmt *st = db_prepare(db, SQL_MARK);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, escalate);
	db_bind_i64(st, 2, now);
	db_bind_i64(st, 3, c->id);
	db_bind_i64(st, 4, c->version);
	int changed = step_returning(st);
	if (changed < 0)
		goto fail;
	if (!changed) {
		db_rollback(db);
		return 0;
	}
	char deadline[40], fields[160], note[160];
	time_format_iso(c->deadline, deadline, sizeof deadline);
	const char *level = c->red ? "red" : "yellow";
	if (c->department_id > 0)
		snprintf(fields, sizeof fields,
		         "{\"deadline\":\"%s\",\"department\":%lld,\"stage\":\"%s\",\"supervision\":\"%s\"}", deadline,
		         (long long)c->department_id, c->stage, level);
	else
		snprintf(fields, sizeof fields,
		         "{\"deadline\":\"%s\",\"grid\":\"%s\",\"stage\":\"%s\",\"supervision\":\"%s\"}", deadline,
		         c->grid, c->stage, level);
	snprintf(note, sizeof note, "%s超期,%s督办 %s stage overdue: %s card", stage_zh(c->stage),
	         c->red ? "红牌" : "黄牌", c->stage, level);
	if (case_event_append(db, c->id, c->version + 1, "overdue", 0, "system", c->status, c->status, note, fields,
	                      now))
		goto fail;
	if (db_commit(db) != DB_OK)
		return -1;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

static int escalate_one(struct db *db, const struct candidate *c, int64_t now)
{
	if (db_begin(db) != DB_OK)
		return -1;
	struct db_stmt *st = db_prepare(db, SQL_ESCALATE);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, now);
	db_bind_i64(st, 2, c->id);
	db_bind_i64(st, 3, c->version);
	int changed = step_returning(st);
	if (changed < 0)
		goto fail;
	if (!changed) {
		db_rollback(db);
		return 0;
	}
	if (case_event_append(db, c->id, c->version + 1, "supervise", 0, "system", c->status, c->status,
	                      "超期"
	                      "5"
	                      "个工作日仍未办结,红牌督办 still overdue 5 working days after the deadline: red card",
	                      "{\"auto\":true,\"level\":\"red\"}", now))
		goto fail;
	if (db_commit(db) != DB_OK)
		return -1;
	return 1;
fail:
	db_rollback(db);
	return -1;
}

/* Reads up to CASE_SCAN_BATCH candidates of sql (bound to now) into a; returns the count or -1. */
static int load(struct db *db, const char *sql, int full, int64_t now, struct candidate *a)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_i64(st, 1, now);
	db_bind_i64(st, 2, CASE_SCAN_BATCH);
	int n = 0, rc;
	while ((rc = db_step(st)) == DB_ROW && n < CASE_SCAN_BATCH) {
		struct candidate *c = &a[n++];
		memset(c, 0, sizeof *c);
		c->id = db_col_i64(st, 0);
		c->version = (int)db_col_i64(st, 1);
		snprintf(c->status, sizeof c->status, "%s", db_col_text(st, 2));
		if (full) {
			snprintf(c->stage, sizeof c->stage, "%s", db_col_text(st, 3));
			c->deadline = db_col_i64(st, 4);
			c->department_id = strcmp(db_col_text(st, 5), "department") == 0 && !db_col_is_null(st, 6)
			                           ? db_col_i64(st, 6)
			                           : 0;
			snprintf(c->grid, sizeof c->grid, "%s", db_col_text(st, 7));
			c->red = strcmp(db_col_text(st, 8), "red") == 0;
		}
	}
	db_stmt_done(st);
	return rc == DB_ROW || rc == DB_DONE ? n : -1;
}

int case_overdue_scan(struct db *db, const struct workcal *cal, int64_t now, struct overdue_counts *out)
{
	memset(out, 0, sizeof *out);
	struct candidate *a = malloc(CASE_SCAN_BATCH * sizeof *a);
	if (!a)
		return -1;
	int rc = 0;
	/* Each pass repeats while it filled a batch and got on (skipped cases come back). */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		for (;;) {
			int n = load(db, pass == 0 ? SQL_DUE : SQL_ESCALATE_DUE, pass == 0, now, a);
			if (n < 0) {
				rc = -1;
				break;
			}
			int done = 0;
			for (int i = 0; i < n && rc == 0; i++) {
				int r = pass == 0 ? mark_one(db, cal, &a[i], now) : escalate_one(db, &a[i], now);
				if (r < 0)
					rc = -1;
				else if (r == 0)
					out->skipped++;
				else
					done++;
			}
			if (pass == 0)
				out->marked += done;
			else
				out->escalated += done;
			if (rc || n < CASE_SCAN_BATCH || done == 0)
				break;
		}
	}
	free(a);
	if (rc)
		log_error("overdue scan: store error: %s", db_errmsg(db));
	return rc;
}
