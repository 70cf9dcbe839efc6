/*
 * demo_samples.c — sample cases for a first look at a new demo store
 * (`zonegov demo --samples`, which `make run` uses).
 *
 * Every sample is filed by the real intake (case_plan_make + case_insert)
 * and moved along by case_act as the demo user the transition table allows,
 * so its events, deadlines and numbers are what the system itself writes.
 * The samples lie in the demo grid (so the grid worker, grid leader and the
 * handler of 城市管理局 have work) and elsewhere in the zone.
 */
#include "buf.h"
#include "case_act.h"
#include "case_flow.h"
#include "cases.h"
#include "db.h"
#include "demo.h"
#include "units.h"
#include "users.h"

#include <stdio.h>
#include <string.h>

/* How far the workflow takes a sample. */
enum goal { G_REPORTED, G_ACCEPTED, G_DISPATCHED, G_HANDLED, G_CLOSED, G_RATED, G_REJECTED, G_SUPERVISED };

static const struct sample {
	const char *category, *description, *source, *phone;
	int in_demo_grid; /* 1: a micro-grid of DEMO_GRID_CODE; 0: elsewhere in the zone */
	enum goal goal;
} samples[] = {
        {"SJ0104", "昆吾路与黄河路交叉口东侧人行道有大量落叶和生活垃圾未清扫", "grid_patrol", NULL, 1, G_DISPATCHED},
        {"SJ0101", "小区南门外有人搭建彩钢板房,疑似违建,已占用绿化带", "resident", "13803931001", 1, G_REPORTED},
        {"SJ0102", "3号楼东侧垃圾桶满溢,垃圾散落地面两天无人清运", "resident", "13803931002", 1, G_RATED},
        {"SJ0108", "单元门口堆放装修建材,影响消防通道通行", "grid_patrol", NULL, 1, G_HANDLED},
        {"SJ0201", "公交站牌及电线杆上张贴大量小广告", "grid_patrol", NULL, 1, G_CLOSED},
        {"SJ0107", "暴雨后昆吾路地下通道积水约30厘米,行人无法通过", "hotline", "13803931003", 1, G_ACCEPTED},
        {"SJ0501", "早市摊贩占用机动车道经营,造成交通拥堵", "supervisor", NULL, 1, G_SUPERVISED},
        {"SJ0901", "楼上住户空调外机漏水,与楼下住户发生争执", "resident", "13803931004", 1, G_DISPATCHED},
        {"SJ0803", "冬季取暖期间走访发现两户居民使用煤炉取暖且未安装烟囱", "grid_patrol", NULL, 1, G_DISPATCHED},
        {"SJ0110", "渣土车未覆盖篷布,沿途扬尘严重", "resident", "13803931005", 1, G_REJECTED},
        {"SJ0801", "沿街门店电动车室内充电,存在消防隐患", "inspection", NULL, 0, G_DISPATCHED},
        {"SJ0802", "餐饮店燃气管道使用胶管连接且老化开裂", "inspection", NULL, 0, G_SUPERVISED},
        {"SJ0302", "运输车辆沿途遗撒砂石,路面湿滑,存在交通安全隐患", "inspection", NULL, 0, G_CLOSED},
        {"SJ0701", "企业反映某工程款项已验收半年仍未支付", "enterprise", "13803931006", 0, G_DISPATCHED},
        {"SJ0704", "企业反映厂房扩建项目施工许可审批已超过承诺时限", "enterprise", "13803931007", 0, G_DISPATCHED},
        {"SJ1001", "新入驻企业反映厂区用电增容需求未落实", "enterprise", "13803931012", 0, G_REPORTED},
        {"SJ0303", "工地出入口车辆未冲洗,道路扬尘明显", "hotline", "13803931008", 0, G_REPORTED},
        {"SJ0106", "游园绿地内有大量白色垃圾和宠物粪便,长期无人清理", "hotline", "13803931011", 0, G_RATED},
        {"SJ0503", "医院门口机动车乱停放,占用消防通道", "resident", "13803931009", 0, G_REPORTED},
        {"SJ0602", "夜间有企业向雨水管网排放不明废水,有刺鼻气味", "consultation", "13803931010", 0, G_DISPATCHED},
};

static const char SQL_STATUS[] = "SELECT status FROM cases WHERE id = ?";

static int case_status_of(struct db *db, int64_t id)
{
	struct db_stmt *st = db_prepare(db, SQL_STATUS);
	if (!st)
		return -1;
	db_bind_i64(st, 1, id);
	int s = db_step(st) == DB_ROW ? case_status_parse(db_col_text(st, 0)) : -1;
	db_stmt_done(st);
	return s;
}

/* Takes the action as the first demo user allowed to (fields: the action's
 * own fields; consumed). Returns 0 or -1 with err. */
static int act_as_allowed(const struct case_env *env, int64_t id, const char *action, json_t *fields, struct zerr *err)
{
	static const char *const who[] = {"dispatcher", "gridleader", "handler", "gridworker", "supervisor", "leader"};
	int a = case_action_parse(action);
	for (size_t i = 0; i < sizeof who / sizeof who[0]; i++) {
		struct user u;
		if (user_get_by_name(env->db, who[i], &u) != 0)
			continue;
		int version = 0;
		unsigned mask = 0;
		if (case_access(env->db, id, &u, &version, &mask) != 1 || !(mask & (1u << a)))
			continue;
		json_object_set_new(fields, "action", json_string(action));
		json_object_set_new(fields, "version", json_integer(version));
		struct case_actor_info actor = {&u, 0, NULL};
		struct case_act_result res;
		int rc = case_act(env, id, &actor, fields, &res, err);
		json_decref(fields);
		return rc;
	}
	json_decref(fields);
	char en[96];
	snprintf(en, sizeof en, "no demo user may %s case %lld", action, (long long)id);
	return zerr_set(err, ZE_INTERNAL, NULL, "示例事件无法推进", en);
}

/* The reporter's rating, as the public rating route takes it. */
static int rate(const struct case_env *env, int64_t id, const char *rating, const char *comment, struct zerr *err)
{
	struct user u;
	int version = 0;
	unsigned mask = 0;
	if (user_get_by_name(env->db, "dispatcher", &u) || case_access(env->db, id, &u, &version, &mask) < 0)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	json_t *body = json_pack("{s:s,s:i,s:s,s:s}", "action", "rate", "version", version, "rating", rating, "comment",
	                         comment);
	struct case_actor_info who = {NULL, ACT_REPORTER, "public"};
	struct case_act_result res;
	int rc = case_act(env, id, &who, body, &res, err);
	json_decref(body);
	return rc;
}

/* Moves a case along the usual path until it reaches goal. */
static int drive(const struct case_env *env, int64_t id, int64_t department, enum goal goal, struct zerr *err)
{
	for (int guard = 0; guard < 8; guard++) {
		int s = case_status_of(env->db, id);
		if (s < 0)
			return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		int rc = 0;
		if ((goal == G_REPORTED && s == CS_REPORTED) || (goal == G_ACCEPTED && s == CS_ACCEPTED) ||
		    (goal == G_DISPATCHED && s == CS_DISPATCHED) || (goal == G_HANDLED && s == CS_HANDLED) ||
		    (goal == G_CLOSED && s == CS_CLOSED) || (goal == G_REJECTED && s == CS_REJECTED))
			return 0;
		if (goal == G_SUPERVISED && s == CS_DISPATCHED)
			return act_as_allowed(
			        env, id, "supervise",
			        json_pack("{s:s,s:s}", "level", "yellow", "note", "群众反映强烈,请加快处置"), err);
		if (goal == G_ACCEPTED && s == CS_DISPATCHED) /* accepting dispatched it at once: sent back */
			return act_as_allowed(env, id, "return",
			                      json_pack("{s:s}", "reason", "该点位属相邻片区管辖,请重新派遣"), err);
		if (goal == G_RATED && s == CS_CLOSED)
			return rate(env, id, "satisfied", "处理及时,非常满意", err);
		switch (s) {
		case CS_REPORTED:
			rc = goal == G_REJECTED ? act_as_allowed(env, id, "reject",
			                                         json_pack("{s:s}", "reason",
			                                                   "经核实属交通运输部门职责,已告知来电人转报"),
			                                         err)
			                        : act_as_allowed(env, id, "accept", json_object(), err);
			break;
		case CS_ACCEPTED:
			rc = act_as_allowed(env, id, "dispatch",
			                    department > 0 ? json_pack("{s:I}", "department", (json_int_t)department)
			                                   : json_pack("{s:b}", "grid", 1),
			                    err);
			break;
		case CS_DISPATCHED:
			rc = act_as_allowed(env, id, "handle",
			                    json_pack("{s:s}", "result", "已到现场处置完毕,现场已恢复"), err);
			break;
		case CS_HANDLED:
			rc = act_as_allowed(env, id, "verify",
			                    json_pack("{s:b,s:s}", "passed", 1, "note", "现场核查属实"), err);
			break;
		default:
			return zerr_set(err, ZE_INTERNAL, NULL, "示例事件状态异常", "a sample case went astray");
		}
		if (rc)
			return rc;
	}
	return zerr_set(err, ZE_INTERNAL, NULL, "示例事件无法推进", "a sample case did not reach its state");
}

/* The label point of the n-th micro-grid inside (or outside) the demo grid,
 * counting round when there are fewer. */
static int sample_point(const struct unit_dir *d, int in_demo_grid, int n, double *lat, double *lon)
{
	size_t plen = strlen(DEMO_GRID_CODE);
	int32_t picked[64];
	int count = 0;
	for (uint32_t i = 0; i < d->n && count < 64; i++) {
		const struct unit_entry *e = &d->e[i];
		if (e->has_label && e->level == UL_MICROGRID &&
		    (strncmp(e->code, DEMO_GRID_CODE, plen) == 0) == !!in_demo_grid)
			picked[count++] = (int32_t)i;
	}
	if (!count)
		return -1;
	*lat = d->e[picked[n % count]].label_lat;
	*lon = d->e[picked[n % count]].label_lon;
	return 0;
}

int demo_samples_fill(struct db *db, const struct workcal *cal, struct zerr *err)
{
	struct buf berr;
	buf_init(&berr, 1024);
	struct unit_dir *d = NULL;
	if (unit_dir_load(db, &d, &berr)) {
		buf_release(&berr);
		return zerr_set(err, ZE_STORE, NULL, NULL, "cannot load the units");
	}
	buf_release(&berr);
	struct case_env env = {db, d, cal};
	struct user reporter;
	int rc = user_get_by_name(db, "gridworker", &reporter) ? zerr_set(err, ZE_STORE, NULL, NULL, NULL) : 0;
	int n_in = 0, n_out = 0;
	for (size_t i = 0; !rc && i < sizeof samples / sizeof samples[0]; i++) {
		const struct sample *s = &samples[i];
		struct case_input in = {0};
		in.category = s->category;
		in.description = s->description;
		in.crs = "wgs84";
		in.source = s->source;
		in.phone = s->phone;
		int public = strcmp(s->source, "resident") == 0;
		in.reporter_id = public ? 0 : reporter.id;
		in.actor = public ? NULL : reporter.name;
		if (sample_point(d, s->in_demo_grid, s->in_demo_grid ? n_in++ : n_out++, &in.lat, &in.lon)) {
			rc = zerr_set(err, ZE_INTERNAL, NULL, NULL, "the demo zone has no micro-grid for a sample");
			break;
		}
		struct case_plan plan;
		int64_t id = 0;
		char number[32];
		if (case_plan_make(&env, &in, &plan, err) || db_begin(db) != DB_OK) {
			rc = -1;
			break;
		}
		if (case_insert(db, &in, &plan, &id, number, err)) {
			db_rollback(db);
			rc = -1;
			break;
		}
		if (db_commit(db) != DB_OK) {
			rc = zerr_set(err, ZE_STORE, NULL, NULL, NULL);
			break;
		}
		rc = drive(&env, id, plan.by_grid ? 0 : plan.cat.department_id, s->goal, err);
	}
	unit_dir_free(d);
	return rc ? -1 : 0;
}
