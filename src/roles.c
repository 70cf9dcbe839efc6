/*
 * roles.c — role names; see roles.h.
 */
#include "roles.h"

#include <string.h>

static const struct {
	const char *name, *zh;
} roles[ROLE_COUNT] = {
        {"admin", "系统管理员"},      {"leader", "领导"},
        {"dispatcher", "受理调度员"}, {"department_handler", "部门处置人员"},
        {"grid_leader", "网格长"},    {"grid_worker", "网格员"},
        {"supervisor", "督查员"},
};

unsigned role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].name, name) == 0)
			return 1u << i;
	return 0;
}

const char *role_name_at(int i)
{
	return i >= 0 && i < ROLE_COUNT ? roles[i].name : "";
}

const char *role_zh_at(int i)
{
	return i >= 0 && i < ROLE_COUNT ? roles[i].zh : "";
}

json_t *roles_to_json(unsigned mask)
{
	json_t *a = json_array();
	for (int i = 0; i < ROLE_COUNT; i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_string(roles[i].name));
	return a;
}

unsigned roles_parse_list(const char *csv)
{
	unsigned mask = 0;
	char name[32];
	const char *p = csv;
	while (*p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == 0 || len >= sizeof name)
			return 0;
		memcpy(name, p, len);
		name[len] = '\0';
		unsigned bit = role_parse(name);
		if (!bit)
			return 0;
		mask |= bit;
		if (!comma)
			break;
		p = comma + 1;
	}
	return mask;
}
