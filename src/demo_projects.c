/*
 * demo_projects.c — the key projects ledger of the demo store (`zonegov demo
 * --samples`): seed 000's 29 provincial and municipal key projects of 2022,
 * whose figures (264亿元 total, 101亿元 planned, 141.95亿元 completed, 140.5 %,
 * 14 in production) the ledger prints exactly, and this year's plan and
 * monthly progress for the 15 still being built, so that the ledger of the
 * current year is not empty either.
 *
 * Written through the ledger's own functions (projects.h), as the API does.
 */
#include "db.h"
#include "demo.h"
#include "projects.h"
#include "timeutil.h"
#include "workcal.h"

#include <stdio.h>

#define YI 100000000LL /* 1 亿元 in yuan */

static const char *const named[] = {"中原大化MMA项目", "联鑫化工烯烃单体综合利用项目", "辰龙生物苯并呋喃项目",
                                    "雪汇食品冷链产业园项目", "星东方影视小镇项目"};
static const char *const industries[] = {"化工", "新材料", "装备制造", "生物医药"};
static const char *const leaders[] = {"王主任", "刘副主任", "张副主任"};
static const char *const dept_codes[] = {"JFJ", "ZJJ", "JFJ", "AJJ"};

static const char SQL_DEPT[] = "SELECT id FROM departments WHERE code = ?";

static int64_t dept_id(struct db *db, const char *code)
{
	struct db_stmt *st = db_prepare(db, SQL_DEPT);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int64_t id = db_step(st) == DB_ROW ? db_col_i64(st, 0) : -1;
	db_stmt_done(st);
	return id;
}

/* Runs one ledger call with a body built here (consumed). */
#define CALL(expr, body)                                                                                               \
	do {                                                                                                           \
		json_t *b_ = (body);                                                                                   \
		int rc_ = b_ ? (expr) : zerr_set(err, ZE_INTERNAL, NULL, NULL, "out of memory");                       \
		json_decref(b_);                                                                                       \
		if (rc_)                                                                                               \
			return -1;                                                                                     \
	} while (0)

int demo_projects_fill(struct db *db, struct zerr *err)
{
	int64_t now = time_now_ms();
	int y, m, d;
	workcal_civil((now + WORKCAL_UTC_OFFSET_MS) / (86400 * 1000LL), &y, &m, &d);
	for (int i = 0; i < 29; i++) {
		int last = i == 28;
		char code[32], name[128], date[16], note[64];
		snprintf(code, sizeof code, "PY2022-%03d", i + 1);
		if (i < 5)
			snprintf(name, sizeof name, "%s", named[i]);
		else
			snprintf(name, sizeof name, "%s产业重点项目%d号", industries[i % 4], i + 1);
		int64_t dept = dept_id(db, dept_codes[i % 4]);
		int64_t id = 0;
		json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:I,s:s,s:s,s:s,s:[{s:i,s:s}]}", "code", code, "name", name,
		                         "level", i < 9 ? "province" : "city", "industry", industries[i % 4],
		                         "total_investment", (json_int_t)(last ? 12 * YI : 9 * YI), "leader",
		                         leaders[i % 3], "planned_start", "2021-12-01", "planned_completion",
		                         i < 14 ? "2022-12-31" : "2027-12-31", "batches", "batch", 1 + i % 6, "kind",
		                         i < 14 ? "production" : "started");
		if (body && dept > 0)
			json_object_set_new(body, "department", json_integer(dept));
		CALL(project_create(db, b_, &id, err), body);
		CALL(project_set_stage(db, id, b_, err),
		     json_pack("{s:s,s:s}", "stage", "started", "date", "2021-12-01"));
		CALL(project_set_plan(db, id, 2022, b_, err),
		     json_pack("{s:I}", "planned_investment", (json_int_t)(last ? 3 * YI : 35 * YI / 10)));
		for (int month = 1; month <= 12; month++) {
			/* 11 × 0.4亿, then 0.5亿 (0.35亿 for the last project): 4.9亿 and 4.75亿 a year. */
			int64_t amount = month < 12 ? 40000000 : last ? 35000000 : 50000000;
			snprintf(note, sizeof note, "%d月:按计划推进", month);
			CALL(project_set_progress(db, id, 2022, month, b_, err),
			     json_pack("{s:I,s:s}", "completed_investment", (json_int_t)amount, "note", note));
		}
		if (i < 14) {
			snprintf(date, sizeof date, "2022-%02d-20", 1 + i % 12);
			CALL(project_set_stage(db, id, b_, err),
			     json_pack("{s:s,s:s}", "stage", "production", "date", date));
			continue;
		}
		/* Still being built: this year's plan and the months already past. */
		if (y > 2022) {
			CALL(project_set_plan(db, id, y, b_, err),
			     json_pack("{s:I}", "planned_investment", (json_int_t)3 * YI));
			for (int month = 1; month < m; month++)
				CALL(project_set_progress(db, id, y, month, b_, err),
				     json_pack("{s:I,s:s}", "completed_investment", (json_int_t)22000000, "note",
				               "完成月度计划"));
		}
	}
	return 0;
}
