/*
 * test_categories.c — the case category catalog (categories.h): the CSV
 * reader, the field rules, the all-or-nothing import with its line-numbered
 * report, upsert counts, the public list, and the default catalog (valid,
 * and byte for byte data/categories.csv).
 *
 * Each test gets a fresh migrated store holding the eight demo departments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "categories.h"
#include "db.h"
#include "testutil.h"
#include "users.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const depts[] = {"CGJ", "ZJJ", "AJJ", "JFJ", "SCJ", "STJ", "GAJ", "ZWZX"};

#define HEADER                                                                                                         \
	"code,name,parent_code,kind,handled_by,department_code,accept_limit,accept_unit,dispatch_limit,"               \
	"dispatch_unit,handle_limit,handle_unit,verify_limit,verify_unit,priority,auto_accept\n"
#define LIMITS "1,work_hours,1,work_hours,4,work_hours,1,work_hours"

struct fixture {
	char dir[PATH_MAX];
	struct db *db;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	if (!f)
		return -1;
	tu_mkdtemp(f->dir);
	f->db = tu_open_store(f->dir, "store.db");
	for (size_t i = 0; i < sizeof depts / sizeof depts[0]; i++)
		assert_true(department_ensure(f->db, depts[i], depts[i]) > 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	db_close(f->db);
	tu_rmtree(f->dir);
	free(f);
	return 0;
}

static int64_t count_categories(struct fixture *f)
{
	return tu_query_i64(f->db, "SELECT COUNT(*) FROM categories");
}

static int64_t count_audit(struct fixture *f)
{
	return tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log");
}

/* Imports text; returns the rc and keeps the result in *res (caller decrefs). */
static int import(struct fixture *f, const char *text, int dry_run, struct category_import_result *res)
{
	struct category_import_options o = {dry_run, "tester", "test.csv"};
	struct zerr err;
	zerr_clear(&err);
	int rc = category_import_csv(f->db, text, strlen(text), &o, res, &err);
	if (rc < 0)
		print_error("import: %s %s\n", zg_error_code(err.kind), err.en);
	return rc;
}

/* Asserts that report item i has this line and column (NULL: none). */
static void expect_problem(const struct category_import_result *res, size_t i, int line, const char *column)
{
	json_t *p = json_array_get(res->report, i);
	if (!p) {
		print_error("no problem %zu (report has %zu)\n", i, json_array_size(res->report));
		fail();
	}
	const char *col = json_string_value(json_object_get(p, "column"));
	int got = (int)json_integer_value(json_object_get(p, "line"));
	if (got != line || (column ? !col || strcmp(col, column) != 0 : col != NULL))
		print_error("problem %zu: line %d column %s (%s); want line %d column %s\n", i, got, col ? col : "-",
		            json_string_value(json_object_get(p, "message_en")), line, column ? column : "-");
	assert_int_equal(got, line);
	if (column)
		assert_string_equal(col, column);
	else
		assert_null(col);
	assert_true(strlen(json_string_value(json_object_get(p, "message"))) > 0);
	assert_true(strlen(json_string_value(json_object_get(p, "message_en"))) > 0);
}

/* --- the CSV reader ---------------------------------------------------- */

struct rd {
	struct category_csv r;
	struct category_csv_record rec;
	const char *zh, *en;
	int eline;
};

static int rd_next(struct rd *x)
{
	return category_csv_read(&x->r, &x->rec, &x->zh, &x->en, &x->eline);
}

static void test_categories_csv_plain_fields_and_line_numbers(void **state)
{
	(void)state;
	static const char text[] = "a,b,c\n\n1,,3\nx,y,\n";
	struct rd x;
	category_csv_init(&x.r, text, strlen(text));
	assert_int_equal(rd_next(&x), 3);
	assert_int_equal(x.rec.line, 1);
	assert_string_equal(x.rec.field[2], "c");
	assert_int_equal(rd_next(&x), 3); /* the empty line is skipped */
	assert_int_equal(x.rec.line, 3);
	assert_string_equal(x.rec.field[0], "1");
	assert_string_equal(x.rec.field[1], "");
	assert_int_equal(x.rec.field_len[1], 0);
	assert_int_equal(rd_next(&x), 3); /* a trailing comma ends with an empty field */
	assert_int_equal(x.rec.line, 4);
	assert_string_equal(x.rec.field[2], "");
	assert_int_equal(rd_next(&x), 0);
	assert_int_equal(rd_next(&x), 0);
	category_csv_release(&x.r);
}

static void test_categories_csv_quotes_commas_and_newlines(void **state)
{
	(void)state;
	static const char text[] = "\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\nnext,\"x\r\ny\",z";
	struct rd x;
	category_csv_init(&x.r, text, strlen(text));
	assert_int_equal(rd_next(&x), 4);
	assert_string_equal(x.rec.field[0], "a,b");
	assert_string_equal(x.rec.field[1], "say \"hi\"");
	assert_string_equal(x.rec.field[2], "two\nlines");
	assert_string_equal(x.rec.field[3], "");
	assert_int_equal(x.rec.field_line[2], 1);
	assert_int_equal(x.rec.field_line[3], 2); /* the field after the line break starts on line 2 */
	assert_int_equal(rd_next(&x), 3);         /* last line without a line end */
	assert_int_equal(x.rec.line, 3);
	assert_string_equal(x.rec.field[1], "x\r\ny");
	assert_int_equal(x.rec.field_line[2], 4);
	assert_string_equal(x.rec.field[2], "z");
	assert_int_equal(rd_next(&x), 0);
	category_csv_release(&x.r);
}

static void test_categories_csv_crlf_and_bom(void **state)
{
	(void)state;
	static const char text[] = "\xEF\xBB\xBF"
	                           "code,name\r\nSJ01,市容环境\r\n\r\nSJ02,宣传广告\r\n";
	struct rd x;
	category_csv_init(&x.r, text, strlen(text));
	assert_int_equal(rd_next(&x), 2);
	assert_string_equal(x.rec.field[0], "code"); /* no BOM in the first name */
	assert_string_equal(x.rec.field[1], "name"); /* no CR at the end */
	assert_int_equal(rd_next(&x), 2);
	assert_int_equal(x.rec.line, 2);
	assert_string_equal(x.rec.field[1], "市容环境");
	assert_int_equal(rd_next(&x), 2);
	assert_int_equal(x.rec.line, 4);
	assert_string_equal(x.rec.field[0], "SJ02");
	assert_int_equal(rd_next(&x), 0);
	category_csv_release(&x.r);
}

static void test_categories_csv_malformed_quotes_report_line_and_resume(void **state)
{
	(void)state;
	static const char text[] = "ok,1\nbad\"quote,2\n\"closed\"x,3\nfine,4\n\"open,5\nnever closed\n";
	struct rd x;
	category_csv_init(&x.r, text, strlen(text));
	assert_int_equal(rd_next(&x), 2);
	assert_int_equal(rd_next(&x), -1);
	assert_int_equal(x.eline, 2);
	assert_non_null(strstr(x.en, "quote"));
	assert_non_null(x.zh);
	assert_int_equal(rd_next(&x), -1);
	assert_int_equal(x.eline, 3);
	assert_non_null(strstr(x.en, "closing quote"));
	assert_int_equal(rd_next(&x), 2);
	assert_string_equal(x.rec.field[0], "fine");
	assert_int_equal(x.rec.line, 4);
	assert_int_equal(rd_next(&x), -1); /* unterminated: reported where the field starts */
	assert_int_equal(x.eline, 5);
	assert_non_null(strstr(x.en, "no closing quote"));
	assert_int_equal(rd_next(&x), 0);
	category_csv_release(&x.r);
}

static void test_categories_csv_nul_byte_refused(void **state)
{
	(void)state;
	static const char text[] = "a,b\0c\nd,e\n";
	struct rd x;
	category_csv_init(&x.r, text, sizeof text - 1);
	assert_int_equal(rd_next(&x), -1);
	assert_int_equal(x.eline, 1);
	assert_int_equal(rd_next(&x), 2);
	assert_string_equal(x.rec.field[0], "d");
	category_csv_release(&x.r);
}

/* --- field rules (through category_put) ------------------------------------ */

static void valid_input(struct category_input *in)
{
	category_input_init(in);
	in->f[CF_NAME] = "暴露垃圾";
	in->f[CF_KIND] = "event";
	in->f[CF_HANDLED_BY] = "department";
	in->f[CF_DEPARTMENT] = "CGJ";
	in->f[CF_ACCEPT_LIMIT] = "1";
	in->f[CF_ACCEPT_UNIT] = "work_hours";
	in->f[CF_DISPATCH_LIMIT] = "1";
	in->f[CF_DISPATCH_UNIT] = "work_hours";
	in->f[CF_HANDLE_LIMIT] = "4";
	in->f[CF_HANDLE_UNIT] = "work_hours";
	in->f[CF_VERIFY_LIMIT] = "2";
	in->f[CF_VERIFY_UNIT] = "hours";
	in->f[CF_PRIORITY] = "2";
	in->f[CF_AUTO_ACCEPT] = "1";
}

static int put(struct fixture *f, const char *code, const struct category_input *in, struct zerr *err)
{
	struct category c;
	int created;
	zerr_clear(err);
	return category_put(f->db, code, in, "tester", &c, &created, err);
}

/* Asserts that category_put refuses (code, field f = value) naming field and changes nothing. */
static void expect_refused(struct fixture *f, const char *code, int field, const char *value, enum zg_error kind,
                           const char *name)
{
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	in.f[field] = value;
	int64_t cats = count_categories(f), audits = count_audit(f);
	int rc = put(f, code, &in, &err);
	if (rc != -1 || err.kind != kind || !err.field || strcmp(err.field, name) != 0)
		print_error("%s=%s: rc %d kind %s field %s %s\n", name, value ? value : "(null)", rc,
		            zg_error_code(err.kind), err.field ? err.field : "-", err.en);
	assert_int_equal(rc, -1);
	assert_int_equal(err.kind, kind);
	assert_string_equal(err.field, name);
	assert_true(strlen(err.zh) > 0 && strlen(err.en) > 0);
	assert_int_equal(count_categories(f), cats);
	assert_int_equal(count_audit(f), audits);
}

static void test_categories_put_creates_then_updates_with_audit(void **state)
{
	struct fixture *f = *state;
	struct category_input in;
	struct category c;
	struct zerr err;
	int created;
	valid_input(&in);
	zerr_clear(&err);
	assert_int_equal(category_put(f->db, "SJ01", &in, "tester", &c, &created, &err), 0);
	assert_true(created);
	assert_string_equal(c.code, "SJ01");
	assert_string_equal(c.department_code, "CGJ");
	assert_true(c.department_id > 0);
	assert_int_equal(c.limits[CAT_HANDLE].amount, 4);
	assert_string_equal(c.limits[CAT_VERIFY].unit, "hours");
	assert_int_equal(c.active, 1);
	assert_int_equal(c.auto_accept, 1);
	in.f[CF_NAME] = "市容环境";
	in.f[CF_ACTIVE] = "0";
	assert_int_equal(category_put(f->db, "SJ01", &in, "tester", &c, &created, &err), 0);
	assert_false(created);
	assert_string_equal(c.name, "市容环境");
	assert_int_equal(c.active, 0);
	/* Without active the flag is kept. */
	in.f[CF_ACTIVE] = NULL;
	assert_int_equal(category_put(f->db, "SJ01", &in, "tester", &c, &created, &err), 0);
	assert_int_equal(c.active, 0);
	assert_int_equal(count_categories(f), 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'category.create'"), 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'category.update'"), 2);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log WHERE target = 'SJ01'"), 3);
}

static void test_categories_put_refuses_bad_code(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = {"S", "sj01", "SJ-01", "SJ01234567890ABCD", "SJ 1", "暴露"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_refused(f, bad[i], CF_NAME, "暴露垃圾", ZE_INVALID_FIELD, "code");
	expect_refused(f, "SJ01", CF_CODE, "SJ02", ZE_INVALID_FIELD, "code"); /* body code ≠ path code */
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	assert_int_equal(put(f, "SJ0123456789ABCD", &in, &err), 0); /* 16 is the most */
}

static void test_categories_put_refuses_bad_name(void **state)
{
	struct fixture *f = *state;
	expect_refused(f, "SJ01", CF_NAME, NULL, ZE_MISSING_FIELD, "name");
	expect_refused(f, "SJ01", CF_NAME, "", ZE_MISSING_FIELD, "name");
	expect_refused(f, "SJ01", CF_NAME, "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
	               ZE_INVALID_FIELD, "name"); /* 33 characters */
	expect_refused(f, "SJ01", CF_NAME, "暴露\n垃圾", ZE_INVALID_FIELD, "name");
	expect_refused(f, "SJ01", CF_NAME, " 暴露垃圾", ZE_INVALID_FIELD, "name");
	expect_refused(f, "SJ01", CF_NAME, "暴露垃圾\xE3\x80\x80", ZE_INVALID_FIELD, "name");
	expect_refused(f, "SJ01", CF_NAME, "bad \xff utf8", ZE_INVALID_FIELD, "name");
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	in.f[CF_NAME] = "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二"; /* 32 */
	assert_int_equal(put(f, "SJ01", &in, &err), 0);
}

static void test_categories_put_refuses_bad_enums(void **state)
{
	struct fixture *f = *state;
	expect_refused(f, "SJ01", CF_KIND, "incident", ZE_INVALID_FIELD, "kind");
	expect_refused(f, "SJ01", CF_KIND, NULL, ZE_MISSING_FIELD, "kind");
	expect_refused(f, "SJ01", CF_HANDLED_BY, "street", ZE_INVALID_FIELD, "handled_by");
	expect_refused(f, "SJ01", CF_ACCEPT_UNIT, "minutes", ZE_INVALID_FIELD, "limits.accept.unit");
	expect_refused(f, "SJ01", CF_DISPATCH_UNIT, "Work_Hours", ZE_INVALID_FIELD, "limits.dispatch.unit");
	expect_refused(f, "SJ01", CF_HANDLE_UNIT, NULL, ZE_MISSING_FIELD, "limits.handle.unit");
	expect_refused(f, "SJ01", CF_VERIFY_UNIT, "days", ZE_INVALID_FIELD, "limits.verify.unit");
	expect_refused(f, "SJ01", CF_PRIORITY, "0", ZE_INVALID_FIELD, "priority");
	expect_refused(f, "SJ01", CF_PRIORITY, "4", ZE_INVALID_FIELD, "priority");
	expect_refused(f, "SJ01", CF_AUTO_ACCEPT, "2", ZE_INVALID_FIELD, "auto_accept");
	expect_refused(f, "SJ01", CF_ACTIVE, "yes", ZE_INVALID_FIELD, "active");
}

static void test_categories_put_refuses_bad_limits(void **state)
{
	struct fixture *f = *state;
	expect_refused(f, "SJ01", CF_ACCEPT_LIMIT, "0", ZE_INVALID_FIELD, "limits.accept.amount");
	expect_refused(f, "SJ01", CF_DISPATCH_LIMIT, "10001", ZE_INVALID_FIELD, "limits.dispatch.amount");
	expect_refused(f, "SJ01", CF_HANDLE_LIMIT, "-4", ZE_INVALID_FIELD, "limits.handle.amount");
	expect_refused(f, "SJ01", CF_HANDLE_LIMIT, "4.5", ZE_INVALID_FIELD, "limits.handle.amount");
	expect_refused(f, "SJ01", CF_VERIFY_LIMIT, "two", ZE_INVALID_FIELD, "limits.verify.amount");
	expect_refused(f, "SJ01", CF_VERIFY_LIMIT, NULL, ZE_MISSING_FIELD, "limits.verify.amount");
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	in.f[CF_HANDLE_LIMIT] = "10000";
	assert_int_equal(put(f, "SJ01", &in, &err), 0);
}

static void test_categories_put_department_rules(void **state)
{
	struct fixture *f = *state;
	expect_refused(f, "SJ01", CF_DEPARTMENT, "NOPE", ZE_INVALID_FIELD, "department");
	expect_refused(f, "SJ01", CF_DEPARTMENT, "", ZE_MISSING_FIELD, "department");
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	in.f[CF_HANDLED_BY] = "grid"; /* grid with a department */
	assert_int_equal(put(f, "SJ01", &in, &err), -1);
	assert_string_equal(err.field, "department");
	in.f[CF_DEPARTMENT] = NULL;
	assert_int_equal(put(f, "SJ01", &in, &err), 0);
	struct category c;
	assert_int_equal(category_get(f->db, "SJ01", &c), 0);
	assert_int_equal(c.department_id, 0);
	assert_string_equal(c.handled_by, "grid");
}

static void test_categories_put_parent_rules(void **state)
{
	struct fixture *f = *state;
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	assert_int_equal(put(f, "SJ01", &in, &err), 0);
	in.f[CF_KIND] = "component";
	assert_int_equal(put(f, "BJ01", &in, &err), 0);
	in.f[CF_KIND] = "event";
	in.f[CF_PARENT] = "SJ01";
	assert_int_equal(put(f, "SJ0101", &in, &err), 0);

	expect_refused(f, "SJ0102", CF_PARENT, "SJ99", ZE_INVALID_FIELD, "parent_code");   /* unknown */
	expect_refused(f, "SJ0102", CF_PARENT, "SJ0101", ZE_INVALID_FIELD, "parent_code"); /* a 小类 */
	expect_refused(f, "SJ0102", CF_PARENT, "BJ01", ZE_INVALID_FIELD, "parent_code");   /* other kind */
	expect_refused(f, "SJ0102", CF_PARENT, "SJ0102", ZE_INVALID_FIELD, "parent_code"); /* itself */
	expect_refused(f, "SJ0102", CF_PARENT, "sj01", ZE_INVALID_FIELD, "parent_code");   /* syntax */
	in.f[CF_PARENT] = NULL;
	assert_int_equal(put(f, "SJ02", &in, &err), 0);
	expect_refused(f, "SJ01", CF_PARENT, "SJ02", ZE_INVALID_FIELD, "parent_code"); /* has 小类 */
	/* A 大类 cannot change kind away from its stored 小类. */
	valid_input(&in);
	in.f[CF_KIND] = "component";
	assert_int_equal(put(f, "SJ01", &in, &err), -1);
	assert_string_equal(err.field, "kind");
	struct category c;
	assert_int_equal(category_get(f->db, "SJ01", &c), 0);
	assert_string_equal(c.kind, "event");
	assert_int_equal(category_get(f->db, "SJ0102", &c), 1);
}

static void test_categories_input_from_json(void **state)
{
	(void)state;
	json_t *obj = json_loads("{\"code\":\"SJ0102\",\"name\":\"暴露垃圾\",\"parent_code\":null,\"kind\":\"event\","
	                         "\"handled_by\":\"department\",\"department\":{\"id\":1,\"code\":\"CGJ\"},"
	                         "\"limits\":{\"accept\":{\"amount\":1,\"unit\":\"work_hours\"},"
	                         "\"handle\":{\"amount\":4,\"unit\":\"work_hours\"}},\"priority\":1,"
	                         "\"auto_accept\":true,\"active\":0}",
	                         0, NULL);
	assert_non_null(obj);
	struct category_input in;
	struct zerr err;
	category_input_init(&in);
	zerr_clear(&err);
	assert_int_equal(category_input_from_json(obj, &in, &err), 0);
	assert_string_equal(in.f[CF_CODE], "SJ0102");
	assert_string_equal(in.f[CF_PARENT], "");
	assert_string_equal(in.f[CF_DEPARTMENT], "CGJ");
	assert_string_equal(in.f[CF_ACCEPT_LIMIT], "1");
	assert_string_equal(in.f[CF_HANDLE_LIMIT], "4");
	assert_null(in.f[CF_DISPATCH_LIMIT]);
	assert_string_equal(in.f[CF_PRIORITY], "1");
	assert_string_equal(in.f[CF_AUTO_ACCEPT], "1");
	assert_string_equal(in.f[CF_ACTIVE], "0");
	json_decref(obj);

	static const struct {
		const char *json, *field;
	} bad[] = {
	        {"{\"name\":5}", "name"},
	        {"{\"kind\":[\"event\"]}", "kind"},
	        {"{\"department\":7}", "department"},
	        {"{\"limits\":3}", "limits"},
	        {"{\"limits\":{\"verify\":\"2h\"}}", "limits.verify"},
	        {"{\"limits\":{\"handle\":{\"amount\":\"4\"}}}", "limits.handle.amount"},
	        {"{\"limits\":{\"handle\":{\"amount\":4.5}}}", "limits.handle.amount"},
	        {"{\"limits\":{\"accept\":{\"unit\":1}}}", "limits.accept.unit"},
	        {"{\"priority\":\"1\"}", "priority"},
	        {"{\"auto_accept\":\"yes\"}", "auto_accept"},
	        {"{\"active\":2}", "active"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		obj = json_loads(bad[i].json, 0, NULL);
		assert_non_null(obj);
		category_input_init(&in);
		zerr_clear(&err);
		assert_int_equal(category_input_from_json(obj, &in, &err), -1);
		assert_int_equal(err.kind, ZE_INVALID_FIELD);
		assert_string_equal(err.field, bad[i].field);
		json_decref(obj);
	}
}

/* --- import -------------------------------------------------------------- */

static const char good_csv[] = HEADER "SJ0102,暴露垃圾,SJ01,event,grid,," LIMITS ",2,1\n"
                                      "SJ01,\"市容环境\",,event,department,CGJ," LIMITS ",2,0\n"
                                      "BJ01,公用设施,,component,department,CGJ," LIMITS ",1,0\n";

static void test_categories_import_adds_then_counts_unchanged_and_updated(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	/* The 小类 comes before its 大类: order does not matter. */
	assert_int_equal(import(f, good_csv, 0, &res), 0);
	assert_int_equal(res.rows, 3);
	assert_int_equal(res.added, 3);
	assert_int_equal(res.updated + res.unchanged + res.problems, 0);
	json_decref(res.report);
	assert_int_equal(count_categories(f), 3);

	assert_int_equal(import(f, good_csv, 0, &res), 0);
	assert_int_equal(res.unchanged, 3);
	assert_int_equal(res.added + res.updated, 0);
	json_decref(res.report);

	static const char changed[] = HEADER "SJ01,市容环境,,event,department,CGJ," LIMITS ",1,0\n"
	                                     "SJ0103,积存垃圾渣土,SJ01,event,department,CGJ," LIMITS ",2,1\n";
	assert_int_equal(import(f, changed, 0, &res), 0);
	assert_int_equal(res.added, 1);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.unchanged, 0);
	json_decref(res.report);
	assert_int_equal(count_categories(f), 4); /* rows absent from a file stay */
	struct category c;
	assert_int_equal(category_get(f->db, "SJ01", &c), 0);
	assert_int_equal(c.priority, 1);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM imports WHERE kind = 'categories'"), 3);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'category.import'"), 3);
	assert_int_equal(tu_query_i64(f->db, "SELECT added + updated * 10 FROM imports ORDER BY id DESC LIMIT 1"), 11);
}

static void test_categories_import_dry_run_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	assert_int_equal(import(f, good_csv, 1, &res), 0);
	assert_int_equal(res.added, 3);
	json_decref(res.report);
	assert_int_equal(count_categories(f), 0);
	assert_int_equal(count_audit(f), 0);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM imports"), 0);
}

static void test_categories_import_all_or_nothing_with_lines_and_columns(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	assert_int_equal(import(f, good_csv, 0, &res), 0);
	json_decref(res.report);
	int64_t audits = count_audit(f);
	static const char bad[] =
	        HEADER "SJ0104,道路不洁,SJ01,event,department,CGJ," LIMITS ",2,1\n" /* 2: fine */
	               "SJ0105,\"水域\n不洁\",SJ01,event,department,CGJ,0,weeks,1,work_hours,4,work_hours,"
	               "1,work_hours,5,1\n"                                            /* 3-4 */
	               "sj0106,x,SJ09,event,department,NOPE," LIMITS ",2,1\n"          /* 5 */
	               "SJ0104,重复,SJ01,event,grid,," LIMITS ",2,1\n"                 /* 6 */
	               "SJ0107,\"a\"b,SJ01\n"                                          /* 7 */
	               "SJ0108,short\n"                                                /* 8 */
	               "SJ0109,部件下的事件,BJ01,event,grid,CGJ," LIMITS ",2,1\n"      /* 9 */
	               "BJ01,公用设施,SJ01,component,department,CGJ," LIMITS ",1,0\n"; /* 10 */
	assert_int_equal(import(f, bad, 0, &res), 1);
	size_t i = 0;
	expect_problem(&res, i++, 3, "name");         /* line break in the name */
	expect_problem(&res, i++, 4, "accept_limit"); /* later cells of the row start on line 4 */
	expect_problem(&res, i++, 4, "accept_unit");
	expect_problem(&res, i++, 4, "priority");
	expect_problem(&res, i++, 5, "code");
	expect_problem(&res, i++, 5, "parent_code");     /* SJ09 does not exist */
	expect_problem(&res, i++, 5, "department_code"); /* NOPE */
	expect_problem(&res, i++, 6, "code");            /* duplicate of line 2 */
	expect_problem(&res, i++, 7, NULL);              /* malformed quoting */
	expect_problem(&res, i++, 8, NULL);              /* too few fields */
	expect_problem(&res, i++, 9, "department_code"); /* grid with a department */
	expect_problem(&res, i++, 9, "parent_code");     /* BJ01 is a component 大类 */
	expect_problem(&res, i++, 10, "parent_code");    /* SJ01 is of the other kind */
	expect_problem(&res, i++, 10, "parent_code");    /* BJ01 has a 小类 (SJ0109, line 9) */
	assert_int_equal(json_array_size(res.report), i);
	assert_int_equal(res.problems, (int)i);
	assert_non_null(strstr(json_string_value(json_object_get(json_array_get(res.report, 7), "message_en")), "2"));
	json_decref(res.report);
	/* Nothing was written: the store is as it was. */
	assert_int_equal(count_categories(f), 3);
	assert_int_equal(count_audit(f), audits);
	struct category c;
	assert_int_equal(category_get(f->db, "SJ0104", &c), 1);
	assert_int_equal(category_get(f->db, "BJ01", &c), 0);
	assert_string_equal(c.parent_code, "");
	assert_int_equal(category_get(f->db, "SJ01", &c), 0);
	assert_string_equal(c.kind, "event");
}

static void test_categories_import_header_problems(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	static const char text[] = "code,name,colour,kind,kind,handled_by\nSJ01,x,red,event,event,grid\n";
	assert_int_equal(import(f, text, 0, &res), 1);
	/* unknown column, duplicate kind, then each missing required column */
	expect_problem(&res, 0, 1, NULL);
	expect_problem(&res, 1, 1, "kind");
	expect_problem(&res, 2, 1, "parent_code");
	assert_int_equal(res.problems, 2 + 12);
	json_decref(res.report);

	assert_int_equal(import(f, "", 0, &res), 1);
	expect_problem(&res, 0, 1, NULL);
	json_decref(res.report);
	assert_int_equal(import(f, "\xEF\xBB\xBF\r\n\r\n", 0, &res), 1);
	json_decref(res.report);
	assert_int_equal(count_categories(f), 0);
}

static void test_categories_import_crlf_bom_quoted_and_active_column(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	static const char text[] = "\xEF\xBB\xBF"
	                           "active,name,code,parent_code,kind,handled_by,department_code,accept_limit,"
	                           "accept_unit,dispatch_limit,dispatch_unit,handle_limit,handle_unit,verify_limit,"
	                           "verify_unit,priority,auto_accept\r\n"
	                           "0,\"广告, 招牌\",SJ02,,event,department,CGJ," LIMITS ",3,0\r\n"
	                           "1,\"\"\"牛皮癣\"\"小广告\",SJ0201,SJ02,event,grid,," LIMITS ",3,1\r\n";
	assert_int_equal(import(f, text, 0, &res), 0);
	assert_int_equal(res.added, 2);
	json_decref(res.report);
	struct category c;
	assert_int_equal(category_get(f->db, "SJ02", &c), 0);
	assert_string_equal(c.name, "广告, 招牌");
	assert_int_equal(c.active, 0);
	assert_int_equal(category_get(f->db, "SJ0201", &c), 0);
	assert_string_equal(c.name, "\"牛皮癣\"小广告");
	assert_int_equal(c.active, 1);
	assert_string_equal(c.limits[CAT_HANDLE].unit, "work_hours");
}

static void test_categories_import_keeps_active_flag_without_column(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	assert_int_equal(import(f, good_csv, 0, &res), 0);
	json_decref(res.report);
	struct category_input in;
	struct zerr err;
	valid_input(&in);
	in.f[CF_NAME] = "公用设施";
	in.f[CF_KIND] = "component";
	in.f[CF_HANDLE_LIMIT] = "1";
	in.f[CF_HANDLE_UNIT] = "work_days";
	in.f[CF_ACTIVE] = "0";
	assert_int_equal(put(f, "BJ01", &in, &err), 0);
	assert_int_equal(import(f, good_csv, 0, &res), 0);
	assert_int_equal(res.updated, 1); /* the limits go back; active stays 0 */
	json_decref(res.report);
	struct category c;
	assert_int_equal(category_get(f->db, "BJ01", &c), 0);
	assert_int_equal(c.active, 0);
	assert_int_equal(c.limits[CAT_HANDLE].amount, 4);
}

static void test_categories_import_report_capped_at_200(void **state)
{
	struct fixture *f = *state;
	struct buf b;
	buf_init(&b, 1 << 20);
	buf_puts(&b, HEADER);
	for (int i = 0; i < 150; i++)
		buf_printf(&b, "SJ%04d,x,,event,grid,CGJ,0,work_hours,1,work_hours,4,work_hours,1,work_hours,2,1\n", i);
	assert_int_equal(b.err, 0);
	struct category_import_result res;
	assert_int_equal(import(f, buf_cstr(&b), 0, &res), 1);
	assert_int_equal(res.problems, 300);
	assert_int_equal(json_array_size(res.report), CATEGORY_REPORT_MAX);
	expect_problem(&res, 199, 101, "accept_limit");
	json_decref(res.report);
	buf_release(&b);
	assert_int_equal(count_categories(f), 0);
}

/* --- listing ------------------------------------------------------------- */

static void test_categories_list_public_hides_inactive_and_internals(void **state)
{
	struct fixture *f = *state;
	struct category_import_result res;
	static const char csv[] =
	        "code,name,parent_code,kind,handled_by,department_code,accept_limit,accept_unit,dispatch_limit,"
	        "dispatch_unit,handle_limit,handle_unit,verify_limit,verify_unit,priority,auto_accept,active\n"
	        "SJ01,市容环境,,event,department,CGJ," LIMITS ",2,0,1\n"
	        "SJ0102,暴露垃圾,SJ01,event,grid,," LIMITS ",2,1,1\n"
	        "SJ0103,积存垃圾渣土,SJ01,event,department,CGJ," LIMITS ",2,1,0\n"
	        "SJ02,宣传广告,,event,department,CGJ," LIMITS ",3,0,0\n"
	        "SJ0201,非法小广告,SJ02,event,grid,," LIMITS ",3,1,1\n";
	assert_int_equal(import(f, csv, 0, &res), 0);
	json_decref(res.report);
	json_t *all = category_list_json(f->db, 0), *pub = category_list_json(f->db, 1);
	assert_int_equal(json_array_size(all), 5);
	assert_int_equal(json_array_size(pub), 2); /* SJ01, SJ0102 */
	assert_string_equal(json_string_value(json_object_get(json_array_get(pub, 0), "code")), "SJ01");
	assert_string_equal(json_string_value(json_object_get(json_array_get(pub, 1), "code")), "SJ0102");
	assert_string_equal(json_string_value(json_object_get(json_array_get(all, 2), "code")), "SJ0103");
	json_t *staff0 = json_array_get(all, 0), *pub0 = json_array_get(pub, 0);
	assert_true(json_is_integer(json_object_get(json_object_get(staff0, "department"), "id")));
	assert_null(json_object_get(json_object_get(pub0, "department"), "id"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(pub0, "department"), "name")), "CGJ");
	assert_true(json_is_boolean(json_object_get(staff0, "auto_accept")));
	assert_null(json_object_get(pub0, "auto_accept"));
	assert_true(json_is_null(json_object_get(pub0, "parent_code")));
	assert_true(json_is_null(json_object_get(json_array_get(pub, 1), "department")));
	json_t *handle = json_object_get(json_object_get(pub0, "limits"), "handle");
	assert_int_equal(json_integer_value(json_object_get(handle, "amount")), 4);
	assert_string_equal(json_string_value(json_object_get(handle, "unit")), "work_hours");
	json_decref(all);
	json_decref(pub);
}

/* --- the default catalog -------------------------------------------------- */

static void test_categories_default_catalog_imports_clean(void **state)
{
	struct fixture *f = *state;
	struct zerr err;
	zerr_clear(&err);
	if (category_import_default(f->db, "tester", &err))
		print_error("%s\n", err.en);
	assert_int_equal(count_categories(f), tu_query_i64(f->db, "SELECT added FROM imports"));
	int64_t n = count_categories(f);
	assert_true(n >= 60 && n <= 90);
	/* Both kinds; every 小类 under a 大类 of its kind; department exactly when handled by one. */
	assert_true(tu_query_i64(f->db,
	                         "SELECT COUNT(*) FROM categories WHERE kind = 'event' AND parent_code IS NULL") >= 6);
	assert_true(tu_query_i64(f->db, "SELECT COUNT(*) FROM categories WHERE kind = 'component'"
	                                " AND parent_code IS NULL") == 6);
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM categories c LEFT JOIN categories p"
	                                     " ON p.code = c.parent_code WHERE c.parent_code IS NOT NULL AND"
	                                     " (p.code IS NULL OR p.parent_code IS NOT NULL OR p.kind <> c.kind)"),
	                 0);
	struct category c;
	assert_int_equal(category_get(f->db, "SJ0102", &c), 0);
	assert_string_equal(c.name, "暴露垃圾");
	assert_string_equal(c.handled_by, "grid");
	assert_int_equal(c.limits[CAT_HANDLE].amount, 4);
	assert_string_equal(c.limits[CAT_HANDLE].unit, "work_hours");
	assert_int_equal(c.auto_accept, 1);
	assert_int_equal(category_get(f->db, "BJ0101", &c), 0);
	assert_string_equal(c.name, "上水井盖");
	assert_int_equal(category_get(f->db, "SJ07", &c), 0);
	assert_string_equal(c.name, "营商环境");
	assert_int_equal(tu_query_i64(f->db, "SELECT COUNT(*) FROM categories WHERE parent_code = 'SJ07'"), 8);
	/* Importing it again changes nothing. */
	zerr_clear(&err);
	assert_int_equal(category_import_default(f->db, "tester", &err), 0);
	assert_int_equal(tu_query_i64(f->db, "SELECT unchanged FROM imports ORDER BY id DESC LIMIT 1"), n);
}

static void test_categories_default_catalog_equals_data_file(void **state)
{
	(void)state;
	/* data/categories.csv: relative to this source file's path as compiled
	 * (from the repository root), else three folders above this binary
	 * (build/debug/tests/). */
	char path[PATH_MAX + 64];
	const char *self = __FILE__;
	const char *cut = strstr(self, "tests/unit/");
	snprintf(path, sizeof path, "%.*sdata/categories.csv", cut ? (int)(cut - self) : 0, self);
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
		exe[n > 0 ? n : 0] = '\0';
		for (int up = 0; up < 4; up++) {
			char *slash = strrchr(exe, '/');
			if (slash)
				*slash = '\0';
		}
		snprintf(path, sizeof path, "%s/data/categories.csv", exe);
		fp = fopen(path, "rb");
	}
	if (!fp)
		print_error("cannot open %s\n", path);
	assert_non_null(fp);
	static char data[1 << 20];
	size_t n = fread(data, 1, sizeof data, fp);
	fclose(fp);
	assert_true(n < sizeof data);
	if (n != category_default_csv_len || memcmp(data, category_default_csv, n) != 0) {
		size_t i = 0;
		while (i < n && i < category_default_csv_len && data[i] == category_default_csv[i])
			i++;
		print_error("src/categories_default.c differs from %s at byte %zu: regenerate it (see its comment)\n",
		            path, i);
	}
	assert_int_equal(n, category_default_csv_len);
	assert_memory_equal(data, category_default_csv, n);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_categories_csv_plain_fields_and_line_numbers),
	        cmocka_unit_test(test_categories_csv_quotes_commas_and_newlines),
	        cmocka_unit_test(test_categories_csv_crlf_and_bom),
	        cmocka_unit_test(test_categories_csv_malformed_quotes_report_line_and_resume),
	        cmocka_unit_test(test_categories_csv_nul_byte_refused),
	        T(test_categories_put_creates_then_updates_with_audit),
	        T(test_categories_put_refuses_bad_code),
	        T(test_categories_put_refuses_bad_name),
	        T(test_categories_put_refuses_bad_enums),
	        T(test_categories_put_refuses_bad_limits),
	        T(test_categories_put_department_rules),
	        T(test_categories_put_parent_rules),
	        cmocka_unit_test(test_categories_input_from_json),
	        T(test_categories_import_adds_then_counts_unchanged_and_updated),
	        T(test_categories_import_dry_run_writes_nothing),
	        T(test_categories_import_all_or_nothing_with_lines_and_columns),
	        T(test_categories_import_header_problems),
	        T(test_categories_import_crlf_bom_quoted_and_active_column),
	        T(test_categories_import_keeps_active_flag_without_column),
	        T(test_categories_import_report_capped_at_200),
	        T(test_categories_list_public_hides_inactive_and_internals),
	        T(test_categories_default_catalog_imports_clean),
	        cmocka_unit_test(test_categories_default_catalog_equals_data_file),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
