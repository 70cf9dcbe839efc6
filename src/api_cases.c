/*
 * api_cases.c — cases over HTTP: staff and public intake, reading.
 *
 * Intake honours an Idempotency-Key header (at most 128 printable ASCII
 * characters): a retry with the same key from the same caller answers with
 * the case already filed (201 again, Idempotent-Replayed: true) and files
 * nothing. Staff see a case only within their data scope (403 otherwise).
 */
#include "api.h"
#include "case_act.h"
#include "case_flow.h"
#include "cases.h"
#include "committer.h"
#include "db.h"
#include "jsonw.h"
#include "roles.h"
#include "server.h"
#include "timeutil.h"
#include "workcal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int idempotency_key_or_reply(struct req *r, const char **key)
{
	*key = req_header(r, "Idempotency-Key");
	if (!*key)
		return 0;
	size_t n = strlen(*key);
	int ok = n >= 1 && n <= CASE_IDEMPOTENCY_KEY_MAX;
	for (size_t i = 0; ok && i < n; i++)
		ok = (*key)[i] > 0x20 && (*key)[i] < 0x7f;
	if (!ok) {
		reply_error(r, ZE_BAD_REQUEST, "Idempotency-Key", "Idempotency-Key 须为1至128个可见 ASCII 字符",
		            "Idempotency-Key must be 1-128 printable ASCII characters");
		return -1;
	}
	return 0;
}

static json_t *allowed_json(unsigned mask)
{
	json_t *arr = json_array();
	for (int a = 0; a < CA__COUNT; a++)
		if (mask & (1u << a))
			json_array_append_new(arr, json_string(case_action_name((enum case_action)a)));
	return arr;
}

/* The likely duplicates offered with a case: to whoever may merge them
 * (mask has merge), while merging is possible; else none. NULL on a store
 * error. */
static json_t *offered_duplicates(struct req *r, int64_t id, unsigned mask)
{
	struct case_viewer v = {&r->user, NULL};
	return mask & (1u << CA_MERGE) ? case_duplicates_json(r->db, id, &v) : json_array();
}

/* What a staff view of a case adds: the actions this user may take now and
 * the likely duplicates to offer for merging — only when the case is in the
 * user's scope, unless always. Returns 0 or -1 (store). */
static int staff_extras(struct req *r, int64_t id, int always, json_t *c)
{
	int version;
	unsigned mask = 0;
	int vis = case_access(r->db, id, &r->user, &version, &mask);
	if (vis < 0 || vis == 2)
		return -1;
	if (!vis && !always)
		return 0;
	json_t *dups = offered_duplicates(r, id, mask);
	if (!dups)
		return -1;
	json_object_set_new(c, "allowed_actions", allowed_json(mask));
	json_object_set_new(c, "duplicates", dups);
	return 0;
}

/* A report on its way through the group committer (committer.h). */
struct intake_job {
	struct commit_job base; /* first: the committer's handle */
	struct req *r;
	struct case_input in; /* borrows from r->json and the request's headers */
	struct case_plan plan;
	struct unit_dir *units; /* held for plan's unit codes until the batch is done */
	char scope[40];
	int public_intake;
	int rc; /* case_insert's answer: 0 filed, 1 the key was taken meanwhile, -1 err */
	int64_t id;
	char number[32];
	struct zerr err;
};

static int intake_run(struct db *db, struct commit_job *job)
{
	struct intake_job *j = (struct intake_job *)job;
	j->rc = case_insert(db, &j->in, &j->plan, &j->id, j->number, &j->err);
	return j->rc == 0 ? 0 : -1;
}

static void intake_done(struct commit_job *job, int committed)
{
	struct intake_job *j = (struct intake_job *)job;
	if (!committed && j->rc == 0) {
		j->rc = -1;
		zerr_set(&j->err, ZE_STORE, NULL, NULL, NULL);
	}
	req_resume(j->r); /* the unit directory is released by intake_finish, which still reads it */
}

/* The answer to a filed (or replayed) case: staff get the case as GET
 * shows it (and the rendered text is kept for their next read), the public
 * what the reporter needs to follow it, nothing personal. */
static void case_render_reply(struct req *r, int64_t id, int status, int in_scope_only);
static void intake_reply(struct req *r, int64_t id, int public_intake, int replayed)
{
	if (!public_intake) {
		case_render_reply(r, id, 201, 0);
	} else {
		struct unit_dir *d = unit_dir_acquire(&r->srv->units);
		int tx = db_read_begin(r->db) == DB_OK;
		struct zerr err;
		zerr_clear(&err);
		struct case_viewer v = {NULL, d};
		json_t *c = case_get_json(r->db, id, &v, 0, &err);
		if (tx)
			db_read_end(r->db);
		unit_dir_release(&r->srv->units, d);
		if (!c) {
			reply_zerr(r, &err);
			return;
		}
		json_t *pub =
		        json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:O}", "id", json_object_get(c, "id"), "number",
		                  json_object_get(c, "number"), "status", json_object_get(c, "status"), "version",
		                  json_object_get(c, "version"), "units", json_object_get(c, "units"), "department",
		                  json_object_get(c, "department"), "deadline", json_object_get(c, "deadline"));
		json_decref(c);
		reply_json(r, 201, pub);
	}
	if (replayed)
		reply_header(r, "Idempotent-Replayed", "true");
}

/* The 201 of a new case: staff get the case as GET shows it; the public
 * answer is built from what intake decided, with nothing to read back. */
static void intake_answer(struct req *r, struct intake_job *j)
{
	if (!j->public_intake) {
		intake_reply(r, j->id, 0, 0);
		return;
	}
	json_t *c = case_intake_json(&j->plan, j->units, j->id, j->number);
	if (!c) {
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 201, c);
}

static void replay_refused(struct req *r, int rc)
{
	struct zerr err;
	zerr_clear(&err);
	case_replay_error(rc, &err);
	reply_zerr(r, &err);
}

static void intake_finish(struct req *r)
{
	struct intake_job *j = (struct intake_job *)r->job;
	r->job = NULL;
	if (j->rc == 1) {
		/* A retry with the same key was filed in the same or an earlier batch. */
		int64_t id;
		int rc = case_replay_lookup(r->db, &j->in, &id);
		if (rc == 1)
			intake_reply(r, id, j->public_intake, 1);
		else
			replay_refused(r, rc);
	} else if (j->rc < 0) {
		reply_zerr(r, &j->err);
	} else {
		intake_answer(r, j);
	}
	unit_dir_release(&r->srv->units, j->units);
	free(j);
}

/* Checks the report and plans it on this worker, then hands the write to
 * the group committer: the 201 goes out only when its batch is on disk. */
static void intake(struct req *r, int public_intake)
{
	struct intake_job *j = calloc(1, sizeof *j);
	if (!j) {
		reply_error(r, ZE_INTERNAL, NULL, NULL, NULL);
		return;
	}
	zerr_clear(&j->err);
	const char *key;
	if (idempotency_key_or_reply(r, &key) || case_input_from_json(r->json, public_intake, &j->in, &j->err)) {
		if (j->err.kind != ZE_OK)
			reply_zerr(r, &j->err);
		free(j);
		return;
	}
	struct case_input *in = &j->in;
	if (public_intake) /* one key space per reporter's phone: two people's keys never collide */
		snprintf(j->scope, sizeof j->scope, "public:%.11s", in->phone ? in->phone : "");
	else
		snprintf(j->scope, sizeof j->scope, "user:%lld", (long long)r->user.id);
	in->idempotency_key = key;
	in->idempotency_scope = j->scope;
	in->reporter_id = public_intake ? 0 : r->user.id;
	in->actor = public_intake ? "public" : r->user.name;
	j->public_intake = public_intake;
	int64_t existing;
	int replay = case_replay_lookup(r->db, in, &existing);
	if (replay != 0) {
		if (replay == 1)
			intake_reply(r, existing, public_intake, 1);
		else
			replay_refused(r, replay);
		free(j);
		return;
	}
	j->units = unit_dir_acquire(&r->srv->units);
	struct case_env env = {r->db, j->units, &r->srv->cal};
	if (case_plan_make(&env, in, &j->plan, &j->err)) {
		unit_dir_release(&r->srv->units, j->units);
		reply_zerr(r, &j->err);
		free(j);
		return;
	}
	j->r = r;
	j->base.run = intake_run;
	j->base.done = intake_done;
	req_defer(r, &j->base, intake_finish);
}

void api_cases_create(struct req *r)
{
	intake(r, 0);
}

void api_public_cases_create(struct req *r)
{
	intake(r, 1);
}

/* Answers 200 with text (a rendered case: one JSON object, from the cache
 * or just rendered) and this viewer's extras spliced onto its end:
 * allowed_actions from mask, and the likely duplicates when the viewer may
 * merge. The buffer b holds the text and is released here. Returns 0, or -1
 * (nothing answered) on a store error. */
static int reply_case_text(struct req *r, int status, int64_t id, unsigned mask, struct buf *b)
{
	if (b->err || b->len < 2 || b->data[b->len - 1] != '}') {
		buf_release(b);
		return -1;
	}
	b->len--; /* {...case...} → {...case...,"allowed_actions":[...],"duplicates":[...]} */
	buf_puts(b, ",\"allowed_actions\":[");
	const char *sep = "";
	for (int a = 0; a < CA__COUNT; a++)
		if (mask & (1u << a)) {
			buf_printf(b, "%s\"%s\"", sep, case_action_name((enum case_action)a));
			sep = ",";
		}
	buf_puts(b, "],\"duplicates\":");
	json_t *dups = offered_duplicates(r, id, mask);
	int bad = !dups || json_write(b, dups, 0);
	json_decref(dups);
	if (bad) {
		buf_release(b);
		return -1;
	}
	buf_putc(b, '}');
	if (b->err) {
		buf_release(b);
		return -1;
	}
	size_t n = b->len;
	reply_bytes(r, status, "application/json; charset=utf-8", buf_take(b), n);
	return 0;
}

#define CASE_REPLY_MAX (4 * 1024 * 1024) /* a rendered case with its extras */

/* The answer from the rendered copy of this version, when the cache has it.
 * Returns 0 when it answered, 1 on a miss, -1 on a store error. */
static int cached_case_reply(struct req *r, int64_t id, int version, unsigned mask)
{
	struct case_viewer v = {&r->user, NULL};
	struct buf b;
	buf_init(&b, CASE_REPLY_MAX);
	if (!case_cache_get(&r->srv->case_cache, id, version, case_viewer_variant(&v), time_now_ms(), &b)) {
		buf_release(&b);
		return 1;
	}
	return reply_case_text(r, 200, id, mask, &b);
}

/* Renders the case in one snapshot (one read lock for its dozen
 * statements), keeps the text for the next reader, and answers with status.
 * in_scope_only: 403 when the case is outside the user's scope (a read);
 * else (the answer to intake) the case is shown to whoever filed it. */
static void case_render_reply(struct req *r, int64_t id, int status, int in_scope_only)
{
	int tx = db_read_begin(r->db) == DB_OK;
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	struct case_viewer v = {&r->user, d};
	int version = 0;
	unsigned mask = 0;
	int vis = case_access(r->db, id, &r->user, &version, &mask);
	int shown = vis == 1 || (vis == 0 && !in_scope_only);
	struct zerr err;
	zerr_clear(&err);
	json_t *c = shown ? case_get_json(r->db, id, &v, 1, &err) : NULL;
	int rc = -1;
	if (c) {
		struct buf b;
		buf_init(&b, CASE_REPLY_MAX);
		if (json_write(&b, c, 0) == 0)
			case_cache_put(&r->srv->case_cache, id, version, case_viewer_variant(&v), time_now_ms(), b.data,
			               b.len);
		rc = reply_case_text(r, status, id, mask, &b); /* releases b, refuses it after a failed write */
	}
	json_decref(c);
	unit_dir_release(&r->srv->units, d);
	if (tx)
		db_read_end(r->db);
	if (rc == 0)
		return;
	if (vis == 2 || (shown && err.kind == ZE_NOT_FOUND))
		reply_error(r, ZE_NOT_FOUND, NULL, "事件不存在", "no such case");
	else if (vis == 0 && in_scope_only)
		reply_error(r, ZE_FORBIDDEN, NULL, "该事件不在您的管辖范围内", "this case is outside your scope");
	else if (shown && err.kind)
		reply_zerr(r, &err);
	else
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
}

/* A staff read: first from the rendered copy of the case's current version,
 * after one read of its row (case_access: version, scope, allowed actions)
 * in that statement's own snapshot; else rendered. */
void api_cases_get(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	int version = 0;
	unsigned mask = 0;
	int vis = case_access(r->db, id, &r->user, &version, &mask);
	if (vis == 1) {
		int rc = cached_case_reply(r, id, version, mask);
		if (rc == 0)
			return;
		if (rc < 0) {
			reply_error(r, ZE_STORE, NULL, NULL, NULL);
			return;
		}
	}
	if (vis < 0) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	case_render_reply(r, id, 200, 1);
}

static void act_reply(struct req *r, int64_t id, int rc, const struct case_act_result *rr, struct zerr *e0,
                      const struct case_viewer *vp, int public_view);

/* Applies an action and answers: 200 with the case, or the error; a 409
 * carries the current case and the actions allowed now. */
static void act_and_reply(struct req *r, int64_t id, const struct case_actor_info *who, json_t *body, int public_view)
{
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	struct case_env env = {r->db, d, &r->srv->cal};
	struct case_act_result res;
	struct zerr err;
	zerr_clear(&err);
	int rc = case_act(&env, id, who, body, &res, &err);
	struct case_viewer v = {who->user, d};
	act_reply(r, id, rc, &res, &err, &v, public_view);
	unit_dir_release(&r->srv->units, d);
}

static void act_reply(struct req *r, int64_t id, int rc, const struct case_act_result *rr, struct zerr *e0,
                      const struct case_viewer *vp, int public_view)
{
	struct case_act_result res = *rr;
	struct zerr err = *e0;
	struct case_viewer v = *vp;
	if (rc) {
		json_t *e = zg_error_json(err.kind, err.field, err.zh, err.en);
		if (err.kind == ZE_CONFLICT) {
			struct zerr ignore;
			json_t *cur = public_view ? NULL : case_get_json(r->db, id, &v, 0, &ignore);
			json_t *inner = json_object_get(e, "error");
			if (cur && staff_extras(r, id, 1, cur) == 0)
				json_object_set_new(inner, "case", cur);
			else
				json_decref(cur);
			json_object_set_new(inner, "allowed_actions", allowed_json(res.allowed));
		}
		reply_json(r, zg_error_status(err.kind), e);
		return;
	}
	json_t *c = case_get_json(r->db, id, &v, !public_view, &err);
	if (!c) {
		reply_zerr(r, &err);
		return;
	}
	if (!public_view && staff_extras(r, id, 0, c)) {
		json_decref(c);
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return;
	}
	reply_json(r, 200, c);
}

void api_cases_action(struct req *r)
{
	int64_t id;
	if (req_param_id_or_reply(r, "id", &id))
		return;
	struct case_actor_info who = {&r->user, 0, NULL};
	act_and_reply(r, id, &who, r->json, 0);
}

/* ---- the list ------------------------------------------------------------- */

/*
 * The WHERE clause is built from the filters present, each condition one
 * that an index serves (docs/PERFORMANCE.md, "case list"), with every value
 * bound; the statement is prepared per request (db_prepare_once). A unit
 * filter goes to the column of its level; the viewer's scope becomes the
 * units they are assigned to, by level, or their department.
 */
#define LIST_MAX_BINDS 96
#define LIST_COUNT_CAP 10000 /* past this many matches, total says "at least" */

struct list_query {
	struct buf sql;
	int n;
	struct {
		const char *s; /* text, or NULL for i */
		int64_t i;
	} b[LIST_MAX_BINDS];
};

static void q_text(struct list_query *q, const char *s)
{
	if (q->n < LIST_MAX_BINDS)
		q->b[q->n].s = s, q->b[q->n++].i = 0;
}

static void q_int(struct list_query *q, int64_t v)
{
	if (q->n < LIST_MAX_BINDS)
		q->b[q->n].s = NULL, q->b[q->n++].i = v;
}

static struct db_stmt *q_prepare(struct db *db, struct list_query *q)
{
	if (q->n >= LIST_MAX_BINDS || buf_cstr(&q->sql)[0] == '\0')
		return NULL;
	struct db_stmt *st = db_prepare_once(db, buf_cstr(&q->sql));
	for (int i = 0; st && i < q->n; i++) {
		if (q->b[i].s)
			db_bind_text(st, i + 1, q->b[i].s);
		else
			db_bind_i64(st, i + 1, q->b[i].i);
	}
	return st;
}

struct list_filter {
	const char *status, *category, *unit, *source, *number;
	long department, overdue; /* -1 none */
	int64_t from_ms, to_ms;   /* 0 none */
	int by_deadline;          /* sort=deadline: the cases with a running deadline, soonest first */
	int category_is_parent;   /* category names a 大类 */
};

static const char SQL_CATEGORY_PARENT[] = "SELECT parent_code FROM categories WHERE code = ?";

/* The column holding a unit's code at each level (enum unit_level). */
static const char *const level_column[UL__COUNT] = {"c.zone_code", "c.street_code", "c.community_code", "c.grid_code",
                                                    "c.unit_code"};

static const char SQL_UNIT_LEVEL[] = "SELECT level FROM units WHERE code = ?";
/* Shortest first: a unit comes after its ancestors (codes extend the parent's). */
static const char SQL_MY_UNITS[] =
        "SELECT DISTINCT u.code, u.level, pu.code FROM unit_people p JOIN units u ON u.id = p.unit_id"
        " LEFT JOIN units pu ON pu.id = u.parent_id WHERE p.user_id = ?"
        " ORDER BY length(u.code), u.code";

/* Appends " AND <col> = ?" for the unit filter; 1 when the unit does not exist, -1 on error. */
static int where_unit(struct db *db, struct list_query *q, const char *code)
{
	struct db_stmt *st = db_prepare(db, SQL_UNIT_LEVEL);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	int level = rc == DB_ROW ? unit_level_parse(db_col_text(st, 0)) : -1;
	db_stmt_done(st);
	if (rc != DB_ROW)
		return rc == DB_DONE ? 1 : -1;
	if (level < 0 || level >= UL__COUNT)
		return 1;
	buf_printf(&q->sql, " AND %s = ?", level_column[level]);
	q_text(q, code);
	return 0;
}

/* The viewer's scope (docs/WORKFLOW.md): everything for the roles that see
 * all; otherwise their department's cases or those under their units. The
 * unit codes are copied into codes (kept alive until the statement is done). */
static int where_scope(struct db *db, struct list_query *q, const struct user *u, char (*codes)[40], int maxcodes)
{
	if (u->roles & (ROLE_ADMIN | ROLE_DISPATCHER | ROLE_LEADER | ROLE_SUPERVISOR))
		return 0;
	struct buf terms;
	buf_init(&terms, 8192);
	int nterms = 0;
	if ((u->roles & ROLE_DEPARTMENT_HANDLER) && u->scope_department > 0) {
		buf_puts(&terms, "c.department_id = ?");
		q_int(q, u->scope_department);
		nterms++;
	}
	int ncodes = 0, rc = DB_DONE;
	if (u->roles & (ROLE_GRID_LEADER | ROLE_GRID_WORKER)) {
		struct db_stmt *st = db_prepare(db, SQL_MY_UNITS);
		if (!st) {
			buf_release(&terms);
			return -1;
		}
		db_bind_i64(st, 1, u->id);
		while ((rc = db_step(st)) == DB_ROW && ncodes + 1 < maxcodes) {
			const char *code = db_col_text(st, 0);
			int level = unit_level_parse(db_col_text(st, 1));
			if (level < 0 || level >= UL__COUNT)
				continue;
			int covered = 0; /* under a unit already in scope */
			for (int k = 0; k < ncodes && !covered; k++)
				covered = strncmp(code, codes[k], strlen(codes[k])) == 0;
			if (covered)
				continue;
			snprintf(codes[ncodes], sizeof codes[0], "%s", code);
			if (nterms++)
				buf_puts(&terms, " OR ");
			if (level == UL_MICROGRID && !db_col_is_null(st, 2)) {
				/* The grid's index, then the micro-grid. */
				snprintf(codes[ncodes + 1], sizeof codes[0], "%s", db_col_text(st, 2));
				buf_puts(&terms, "(c.grid_code = ? AND c.unit_code = ?)");
				q_text(q, codes[ncodes + 1]);
				q_text(q, codes[ncodes]);
				ncodes += 2;
			} else {
				buf_printf(&terms, "%s = ?", level_column[level]);
				q_text(q, codes[ncodes++]);
			}
		}
		db_stmt_done(st);
	}
	if (rc != DB_DONE && rc != DB_ROW) {
		buf_release(&terms);
		return -1;
	}
	if (nterms)
		buf_printf(&q->sql, " AND (%s)", buf_cstr(&terms));
	else
		buf_puts(&q->sql, " AND 0"); /* nothing in scope */
	buf_release(&terms);
	return 0;
}

/* The FROM ... WHERE part for f and the viewer; 1 when nothing can match. */
static int list_where(struct db *db, struct list_query *q, const struct list_filter *f, const struct user *u,
                      char (*codes)[40], int maxcodes)
{
	buf_puts(&q->sql, " FROM cases c WHERE 1 = 1");
	if (f->status) {
		buf_puts(&q->sql, " AND c.status = ?");
		q_text(q, f->status);
	}
	if (f->category) {
		if (f->category_is_parent) {
			/* A 大类 takes in its 小类: a large share of all cases, found walking
			 * cases_created (the unary + keeps the planner off cases_category,
			 * whose ranges would have to be merged and sorted). */
			buf_puts(&q->sql,
			         " AND +c.category_code IN (SELECT code FROM categories WHERE parent_code = ?)");
		} else {
			buf_puts(&q->sql, " AND c.category_code = ?");
		}
		q_text(q, f->category);
	}
	if (f->unit) {
		int rc = where_unit(db, q, f->unit);
		if (rc)
			return rc;
	}
	if (f->department >= 0) {
		buf_puts(&q->sql, " AND c.department_id = ?");
		q_int(q, f->department);
	}
	if (f->overdue >= 0)
		buf_puts(&q->sql, f->overdue ? " AND c.overdue = 1" : " AND c.overdue = 0");
	if (f->source) {
		buf_puts(&q->sql, " AND c.source = ?");
		q_text(q, f->source);
	}
	if (f->from_ms) {
		buf_puts(&q->sql, " AND c.created_at >= ?");
		q_int(q, f->from_ms);
	}
	if (f->to_ms) {
		buf_puts(&q->sql, " AND c.created_at < ?");
		q_int(q, f->to_ms);
	}
	if (f->number) {
		buf_puts(&q->sql, " AND c.number = ?");
		q_text(q, f->number);
	}
	if (f->by_deadline)
		buf_puts(&q->sql, " AND c.deadline IS NOT NULL");
	return where_scope(db, q, u, codes, maxcodes);
}

/* "2026-11-22" → ms at 00:00 +08:00; end adds a day. Returns -1 when bad. */
static int day_ms(const char *s, int end, int64_t *out)
{
	if (!s)
		return 0;
	if (strlen(s) != 10 || workcal_parse_time(s, 0, out))
		return -1;
	*out += end * 86400LL * 1000;
	return 0;
}

static json_t *list_item(struct db_stmt *st)
{
	char deadline[40] = "", created[40];
	if (!db_col_is_null(st, 8))
		time_format_iso(db_col_i64(st, 8), deadline, sizeof deadline);
	time_format_iso(db_col_i64(st, 12), created, sizeof created);
	return json_pack("{s:I,s:s,s:s,s:{s:s,s:s},s:s,s:s?,s:s?,s:s?,s:b,s:s?,s:s?,s:s,s:I}", "id",
	                 (json_int_t)db_col_i64(st, 0), "number", db_col_text(st, 1), "status", db_col_text(st, 2),
	                 "category", "code", db_col_text(st, 3), "name", db_col_text(st, 4), "source",
	                 db_col_text(st, 5), "grid", db_col_is_null(st, 6) ? NULL : db_col_text(st, 6), "department",
	                 db_col_is_null(st, 7) ? NULL : db_col_text(st, 7), "deadline", deadline[0] ? deadline : NULL,
	                 "overdue", (int)db_col_i64(st, 9), "supervision",
	                 db_col_is_null(st, 10) ? NULL : db_col_text(st, 10), "rating",
	                 db_col_is_null(st, 11) ? NULL : db_col_text(st, 11), "created_at", created, "version",
	                 (json_int_t)db_col_i64(st, 13));
}

/* q := head followed by w's clause and binds. */
static void q_from(struct list_query *q, const char *head, const struct list_query *w)
{
	buf_reset(&q->sql);
	buf_puts(&q->sql, head);
	buf_append(&q->sql, w->sql.data, w->sql.len);
	memcpy(q->b, w->b, (size_t)w->n * sizeof w->b[0]);
	q->n = w->n;
}

static void list_in_tx(struct req *r, const struct list_filter *f, int page, int per_page)
{
	char codes[64][40];
	/* The FROM ... WHERE part once (it reads the unit's level and the viewer's units), for both statements. */
	struct list_query w = {0}, q = {0};
	buf_init(&w.sql, 16384);
	buf_init(&q.sql, 16384);
	int rc = list_where(r->db, &w, f, &r->user, codes, 64);
	int64_t total = 0;
	json_t *items = json_array();
	if (rc < 0)
		goto store_error;
	if (rc == 0) {
		/* The count, up to LIST_COUNT_CAP matches. */
		q_from(&q, "SELECT count(*) FROM (SELECT 1", &w);
		buf_puts(&q.sql, " LIMIT ?)");
		q_int(&q, LIST_COUNT_CAP + 1);
		struct db_stmt *st = q_prepare(r->db, &q);
		rc = st ? db_step(st) : DB_ERROR;
		total = rc == DB_ROW ? db_col_i64(st, 0) : 0;
		db_stmt_done(st);
		if (rc != DB_ROW)
			goto store_error;
	}
	if (total > 0 && (int64_t)(page - 1) * per_page < total) {
		const char *order =
		        f->by_deadline ? " ORDER BY c.deadline, c.id" : " ORDER BY c.created_at DESC, c.id DESC";
		q_from(&q,
		       "SELECT c.id, c.number, c.status, c.category_code, k.name, c.source, c.grid_code, d.name,"
		       " c.deadline, c.overdue, c.supervision, c.rating, c.created_at, c.version FROM (SELECT c.id",
		       &w);
		buf_puts(&q.sql, order);
		buf_puts(&q.sql, " LIMIT ? OFFSET ?) p JOIN cases c ON c.id = p.id JOIN categories k ON k.code = "
		                 "c.category_code LEFT JOIN departments d ON d.id = c.department_id");
		buf_puts(&q.sql, order);
		q_int(&q, per_page);
		q_int(&q, (int64_t)(page - 1) * per_page);
		struct db_stmt *st = q_prepare(r->db, &q);
		rc = st ? DB_DONE : DB_ERROR;
		while (st && (rc = db_step(st)) == DB_ROW)
			json_array_append_new(items, list_item(st));
		db_stmt_done(st);
		if (rc != DB_DONE)
			goto store_error;
	}
	buf_release(&w.sql);
	buf_release(&q.sql);
	int more = total > LIST_COUNT_CAP;
	reply_json(r, 200,
	           json_pack("{s:o,s:I,s:b,s:i,s:i}", "items", items, "total",
	                     (json_int_t)(more ? LIST_COUNT_CAP : total), "total_exact", !more, "page", page,
	                     "per_page", per_page));
	return;
store_error:
	buf_release(&w.sql);
	buf_release(&q.sql);
	json_decref(items);
	reply_error(r, ZE_STORE, NULL, NULL, NULL);
}

void api_cases_list(struct req *r)
{
	int page, per_page;
	struct list_filter f = {0};
	f.department = f.overdue = -1;
	const char *from, *to, *sort;
	if (req_paging_or_reply(r, &page, &per_page) || req_query_text_or_reply(r, "status", 20, &f.status) ||
	    req_query_text_or_reply(r, "category", 20, &f.category) ||
	    req_query_text_or_reply(r, "unit", 32, &f.unit) || req_query_text_or_reply(r, "source", 20, &f.source) ||
	    req_query_text_or_reply(r, "number", 32, &f.number) ||
	    req_query_int_or_reply(r, "department", -1, 1, 1L << 40, &f.department) ||
	    req_query_int_or_reply(r, "overdue", -1, 0, 1, &f.overdue) ||
	    req_query_text_or_reply(r, "from", 10, &from) || req_query_text_or_reply(r, "to", 10, &to) ||
	    req_query_text_or_reply(r, "sort", 20, &sort))
		return;
	if (f.status && case_status_parse(f.status) < 0) {
		reply_error(r, ZE_BAD_REQUEST, "status", "未知的状态", "unknown status");
		return;
	}
	if (day_ms(from, 0, &f.from_ms) || day_ms(to, 1, &f.to_ms)) {
		reply_error(r, ZE_BAD_REQUEST, from && day_ms(from, 0, &f.from_ms) ? "from" : "to",
		            "日期须为 YYYY-MM-DD", "dates are YYYY-MM-DD");
		return;
	}
	if (sort && strcmp(sort, "newest") && strcmp(sort, "deadline")) {
		reply_error(r, ZE_BAD_REQUEST, "sort", "排序须为 newest 或 deadline",
		            "sort must be newest or deadline");
		return;
	}
	int tx = db_read_begin(r->db) == DB_OK;
	f.by_deadline = sort && strcmp(sort, "deadline") == 0;
	if (f.category) {
		struct db_stmt *st = db_prepare(r->db, SQL_CATEGORY_PARENT);
		if (st) {
			db_bind_text(st, 1, f.category);
			f.category_is_parent = db_step(st) == DB_ROW && db_col_text(st, 0)[0] == '\0';
			db_stmt_done(st);
		}
	}
	list_in_tx(r, &f, page, per_page);
	if (tx)
		db_read_end(r->db);
}

/* ---- public: follow and rate with number + last four digits of the phone -- */

static const char SQL_PUBLIC_FIND[] = "SELECT id, reporter_phone FROM cases WHERE number = ?";

/* The case id for a number whose reporter's phone ends in phone4; replies
 * 404 (the same answer for an unknown number and a wrong phone4) or 400. */
static int public_case_or_reply(struct req *r, const char *phone4, int64_t *id)
{
	int ok = phone4 && strlen(phone4) == 4;
	for (int i = 0; ok && i < 4; i++)
		ok = phone4[i] >= '0' && phone4[i] <= '9';
	if (!ok) {
		reply_error(r, ZE_BAD_REQUEST, "phone4", "请输入手机号后四位",
		            "give the last four digits of the phone");
		return -1;
	}
	/* Guessing the four digits of one case: LIMITER_MAX_FAILURES tries per window. */
	const char *number = req_param(r, "number");
	struct limiter *guesses = &r->srv->phone4_guesses;
	int wait = limiter_blocked(guesses, number, time_now_ms());
	if (wait > 0) {
		char secs[16];
		snprintf(secs, sizeof secs, "%d", wait);
		reply_error(r, ZE_TOO_MANY_ATTEMPTS, "phone4", "该编号查询失败次数过多,请稍后再试",
		            "too many wrong tries for this case number; try again later");
		reply_header(r, "Retry-After", secs);
		return -1;
	}
	struct db_stmt *st = db_prepare(r->db, SQL_PUBLIC_FIND);
	if (!st) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return -1;
	}
	db_bind_text(st, 1, number);
	int rc = db_step(st);
	int match = 0;
	if (rc == DB_ROW) {
		const char *phone = db_col_text(st, 1);
		size_t n = strlen(phone);
		match = n >= 4 && strcmp(phone + n - 4, phone4) == 0;
		*id = db_col_i64(st, 0);
	}
	db_stmt_done(st);
	if (rc != DB_ROW && rc != DB_DONE) {
		reply_error(r, ZE_STORE, NULL, NULL, NULL);
		return -1;
	}
	if (!match) {
		limiter_fail(guesses, number, time_now_ms());
		reply_error(r, ZE_NOT_FOUND, NULL, "未找到该事件,请核对编号和手机号后四位",
		            "no such case; check the number and the last four digits of the phone");
		return -1;
	}
	limiter_reset(guesses, number);
	return 0;
}

/* What the public may see: no names, no phones, no internal notes. */
static json_t *public_view(json_t *c)
{
	json_t *events = json_array(), *ev;
	size_t i;
	json_array_foreach (json_object_get(c, "events"), i, ev) {
		/* The workflow's steps only: comments, 督办, extensions and overdue marks are internal. */
		const char *a = json_string_value(json_object_get(ev, "action"));
		if (!a || !strcmp(a, "comment") || !strcmp(a, "supervise") || !strcmp(a, "overdue") ||
		    !strcmp(a, "request_extension") || !strcmp(a, "approve_extension"))
			continue;
		json_array_append_new(events,
		                      json_pack("{s:O,s:O,s:O}", "action", json_object_get(ev, "action"), "status",
		                                json_object_get(ev, "to"), "at", json_object_get(ev, "at")));
	}
	json_t *dept = json_object_get(c, "department");
	json_t *out = json_pack(
	        "{s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:O,s:o,s:O,s:o}", "number", json_object_get(c, "number"), "status",
	        json_object_get(c, "status"), "category", json_object_get(c, "category"), "description",
	        json_object_get(c, "description"), "units", json_object_get(c, "units"), "deadline",
	        json_object_get(c, "deadline"), "rating", json_object_get(c, "rating"), "version",
	        json_object_get(c, "version"), "created_at", json_object_get(c, "created_at"), "department",
	        json_is_object(dept) ? json_pack("{s:O}", "name", json_object_get(dept, "name")) : json_null(),
	        "closed_at", json_object_get(c, "closed_at"), "events", events);
	return out;
}

void api_public_cases_get(struct req *r)
{
	int64_t id;
	if (public_case_or_reply(r, req_query(r, "phone4"), &id))
		return;
	struct case_viewer v = {NULL, NULL};
	struct zerr err;
	zerr_clear(&err);
	json_t *c = case_get_json(r->db, id, &v, 1, &err);
	if (!c) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 200, public_view(c));
	json_decref(c);
}

void api_public_cases_rate(struct req *r)
{
	int64_t id;
	if (public_case_or_reply(r, json_string_value(json_object_get(r->json, "phone4")), &id))
		return;
	/* The reporter rates the current version: no version to send. */
	struct case_viewer v = {NULL, NULL};
	struct zerr err;
	zerr_clear(&err);
	json_t *cur = case_get_json(r->db, id, &v, 0, &err);
	if (!cur) {
		reply_zerr(r, &err);
		return;
	}
	json_t *body = json_pack(
	        "{s:s,s:O,s:O,s:O}", "action", "rate", "version", json_object_get(cur, "version"), "rating",
	        json_object_get(r->json, "rating") ? json_object_get(r->json, "rating") : json_null(), "comment",
	        json_object_get(r->json, "comment") ? json_object_get(r->json, "comment") : json_null());
	json_decref(cur);
	struct case_actor_info who = {NULL, ACT_REPORTER, "public"};
	struct unit_dir *d = unit_dir_acquire(&r->srv->units);
	struct case_env env = {r->db, d, &r->srv->cal};
	struct case_act_result res;
	int rc = case_act(&env, id, &who, body, &res, &err);
	unit_dir_release(&r->srv->units, d);
	json_decref(body);
	if (rc) {
		if (err.kind == ZE_CONFLICT)
			zerr_set(&err, ZE_CONFLICT, "rating", "事件结案后才能评价",
			         "a case can be rated once it is closed");
		reply_zerr(r, &err);
		return;
	}
	json_t *c = case_get_json(r->db, id, &v, 1, &err);
	if (!c) {
		reply_zerr(r, &err);
		return;
	}
	reply_json(r, 200, public_view(c));
	json_decref(c);
}
