/*
 * errors.c — lookups into the error table of errors.h and the error body.
 */
#include "errors.h"

#include <stdio.h>
#include <string.h>

static const struct {
	int status;
	const char *code, *zh, *en;
} table[] = {
#define ZG_ERR_ROW(name, status, code, zh, en) {status, code, zh, en},
        ZG_ERRORS(ZG_ERR_ROW)
#undef ZG_ERR_ROW
};

static int valid(enum zg_error e)
{
	return (int)e >= 0 && e < ZE__COUNT;
}

int zg_error_status(enum zg_error e)
{
	return valid(e) ? table[e].status : 500;
}

const char *zg_error_code(enum zg_error e)
{
	return valid(e) ? table[e].code : "internal_error";
}

const char *zg_error_zh(enum zg_error e)
{
	return valid(e) ? table[e].zh : table[ZE_INTERNAL].zh;
}

const char *zg_error_en(enum zg_error e)
{
	return valid(e) ? table[e].en : table[ZE_INTERNAL].en;
}

void zerr_clear(struct zerr *e)
{
	if (!e)
		return;
	e->kind = ZE_OK;
	e->field = NULL;
	e->zh[0] = e->en[0] = '\0';
}

int zerr_set(struct zerr *e, enum zg_error kind, const char *field, const char *zh, const char *en)
{
	if (!e)
		return -1;
	e->kind = kind;
	e->field = field;
	snprintf(e->zh, sizeof e->zh, "%s", zh ? zh : "");
	snprintf(e->en, sizeof e->en, "%s", en ? en : "");
	return -1;
}

json_t *zg_error_json(enum zg_error e, const char *field, const char *zh, const char *en)
{
	if (!zh || !*zh)
		zh = zg_error_zh(e);
	if (!en || !*en)
		en = zg_error_en(e);
	return json_pack("{s:{s:s,s:s?,s:s,s:s}}", "error", "code", zg_error_code(e), "field", field, "message", zh,
	                 "message_en", en);
}
