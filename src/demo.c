/*
 * demo.c — demo data for 濮阳经济技术开发区 (seed 000): departments, one
 * account per role, the zone's units (demo_zone.c) and who is responsible
 * for the demo grid.
 */
#include "demo.h"
#include "categories.h"
#include "db.h"
#include "roles.h"
#include "units.h"
#include "users.h"

#include <stddef.h>

static const struct {
	const char *code, *name;
} departments[] = {
        {"CGJ", "经开区城市管理局"},   {"ZJJ", "经开区住房和城乡建设局"}, {"AJJ", "经开区应急管理局"},
        {"JFJ", "经开区经济发展局"},   {"SCJ", "经开区市场监督管理局"},   {"STJ", "经开区生态环境分局"},
        {"GAJ", "市公安局经开区分局"}, {"ZWZX", "经开区政务服务中心"},
};

static const struct {
	const char *username, *name;
	unsigned roles;
	const char *phone;
	int department; /* index into departments + 1, 0: none */
} users[] = {
        {"admin", "系统管理员", ROLE_ADMIN, NULL, 0},
        {"leader", "王主任", ROLE_LEADER, "13903930001", 0},
        {"dispatcher", "李受理", ROLE_DISPATCHER, "13903930002", 0},
        {"handler", "张处置", ROLE_DEPARTMENT_HANDLER, "13903930003", 1},
        {"gridleader", "赵网格长", ROLE_GRID_LEADER, "13903930004", 0},
        {"gridworker", "刘网格员", ROLE_GRID_WORKER, "13903930005", 0},
        {"supervisor", "陈督查", ROLE_SUPERVISOR, "13903930006", 0},
};

int demo_fill(struct db *db, const char *pw, struct zerr *err)
{
	int64_t dept_ids[sizeof departments / sizeof departments[0]];
	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, "cannot begin a transaction");
	for (size_t i = 0; i < sizeof departments / sizeof departments[0]; i++) {
		dept_ids[i] = department_ensure(db, departments[i].code, departments[i].name);
		if (dept_ids[i] < 0) {
			db_rollback(db);
			return zerr_set(err, ZE_STORE, NULL, NULL, "cannot write departments");
		}
	}
	if (db_commit(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, "cannot commit departments");
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++) {
		struct user_input in;
		struct user u;
		user_input_init(&in);
		in.username = users[i].username;
		in.name = users[i].name;
		in.password = pw;
		in.roles = users[i].roles;
		in.phone = users[i].phone;
		if (users[i].department)
			in.scope_department = dept_ids[users[i].department - 1];
		if (user_create(db, &in, "demo", &u, err))
			return -1;
	}
	if (category_import_default(db, "demo", err))
		return -1;
	if (demo_zone_fill(db, err))
		return -1;
	/* People: the demo grid leader and worker run the first grid of 昆吾社区;
	 * the leader is the zone's 分包领导. */
	static const struct {
		const char *unit, *user, *duty;
	} people[] = {
	        {DEMO_GRID_CODE, "gridleader", "grid_leader"},
	        {DEMO_GRID_CODE, "gridworker", "grid_worker"},
	        {DEMO_GRID_CODE "001", "gridworker", "microgrid_worker"},
	        {"410972", "leader", "leader"},
	};
	for (size_t i = 0; i < sizeof people / sizeof people[0]; i++)
		if (unit_people_add(db, people[i].unit, people[i].user, people[i].duty, err))
			return -1;
	return 0;
}
