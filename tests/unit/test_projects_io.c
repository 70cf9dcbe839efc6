/*
 * test_projects_io.c — the spreadsheet reader behind the ledger import
 * (projects_io.h): small .xlsx files crafted here with libzip (shared
 * strings with rich text and phonetic runs, inline strings, numbers,
 * formulas, cells without references, a sheet found through the workbook's
 * relationships), the refusals (not a zip, DOCTYPE, a shared string out of
 * range, a zip bomb), the CSV reader, column letters, and an export read
 * back by the same reader on a real store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "db.h"
#include "projects_io.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* An in-memory zip of n files (names[i] with bodies[i], bodies[i] of lens[i] bytes or strlen). */
static char *make_zip(const char *const *names, const char *const *bodies, const size_t *lens, size_t n, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (size_t i = 0; i < n; i++) {
		zip_source_t *s = zip_source_buffer(z, bodies[i], lens ? lens[i] : strlen(bodies[i]), 0);
		assert_non_null(s);
		assert_true(zip_file_add(z, names[i], s, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t size = zip_source_tell(src);
	assert_true(size > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	char *out = malloc((size_t)size);
	assert_non_null(out);
	assert_int_equal(zip_source_read(src, out, (zip_uint64_t)size), size);
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*len = (size_t)size;
	return out;
}

static const char WORKBOOK[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
        "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
        "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
        "<sheets><sheet name=\"台账\" sheetId=\"1\" r:id=\"rId7\"/><sheet name=\"二\" sheetId=\"2\" r:id=\"rId8\"/>"
        "</sheets></workbook>";
static const char RELS[] = "<?xml version=\"1.0\"?><Relationships "
                           "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                           "<Relationship Id=\"rId8\" Type=\"ws\" Target=\"worksheets/sheet2.xml\"/>"
                           "<Relationship Id=\"rId7\" Type=\"ws\" Target=\"worksheets/ledger.xml\"/>"
                           "</Relationships>";
static const char SST[] =
        "<?xml version=\"1.0\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
        " count=\"3\" uniqueCount=\"3\">"
        "<si><t>项目编号</t></si>"
        "<si><r><rPr><b/></rPr><t>重点</t></r><r><t xml:space=\"preserve\">项目 A&amp;B</t></r>"
        "<rPh sb=\"0\" eb=\"2\"><t>ジュウテン</t></rPh></si>"
        "<si><t>  padded  </t></si>"
        "</sst>";
static const char SHEET[] =
        "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"C1\" t=\"inlineStr\"><is><t>内联</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\"><v>4000.0001</v></c>"
        "<c r=\"C3\" t=\"str\"><f>A1&amp;\"x\"</f><v>项目编号x</v></c><c r=\"D3\" t=\"b\"><v>1</v></c>"
        "<c r=\"E3\" s=\"2\"/><c r=\"F3\" t=\"s\"><v>2</v></c></row>"
        "<row><c><v>7</v></c><c t=\"s\"><v>0</v></c></row>"
        "</sheetData></worksheet>";
static const char OTHER[] = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>第二张</t></is>"
                            "</c></row></sheetData></worksheet>";

static void test_xlsx_reader_reads_first_sheet_strings_and_numbers(void **state)
{
	(void)state;
	const char *names[] = {"[Content_Types].xml",  "xl/workbook.xml",          "xl/_rels/workbook.xml.rels",
	                       "xl/sharedStrings.xml", "xl/worksheets/ledger.xml", "xl/worksheets/sheet2.xml"};
	const char *bodies[] = {"<Types/>", WORKBOOK, RELS, SST, SHEET, OTHER};
	size_t len;
	char *zip = make_zip(names, bodies, NULL, 6, &len);
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_xlsx(zip, len, &s, &err), 0);
	assert_int_equal(s.default_wan, 1);
	assert_int_equal(s.nrows, 4);
	assert_string_equal(sheet_at(&s, 0, 0)->text, "项目编号");
	assert_null(sheet_at(&s, 0, 1));
	assert_string_equal(sheet_at(&s, 0, 2)->text, "内联");
	assert_null(sheet_at(&s, 1, 0)); /* row 2 is absent */
	/* rich text runs joined, the phonetic run left out */
	assert_string_equal(sheet_at(&s, 2, 0)->text, "重点项目 A&B");
	assert_int_equal(sheet_at(&s, 2, 0)->is_num, 0);
	assert_string_equal(sheet_at(&s, 2, 1)->text, "4000.0001");
	assert_int_equal(sheet_at(&s, 2, 1)->is_num, 1);
	assert_string_equal(sheet_at(&s, 2, 2)->text, "项目编号x"); /* a formula's cached text */
	assert_int_equal(sheet_at(&s, 2, 2)->is_num, 0);
	assert_string_equal(sheet_at(&s, 2, 3)->text, "1");
	assert_null(sheet_at(&s, 2, 4)); /* styled but empty */
	assert_string_equal(sheet_at(&s, 2, 5)->text, "padded");
	/* a row and cells without references follow the ones before */
	assert_string_equal(sheet_at(&s, 3, 0)->text, "7");
	assert_string_equal(sheet_at(&s, 3, 1)->text, "项目编号");
	sheet_release(&s);
	free(zip);
}

static void expect_refused(const char *const *names, const char *const *bodies, size_t n, enum zg_error kind)
{
	size_t len;
	char *zip = make_zip(names, bodies, NULL, n, &len);
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_xlsx(zip, len, &s, &err), -1);
	assert_int_equal(err.kind, kind);
	assert_true(err.zh[0] != '\0');
	assert_int_equal(s.n, 0);
	free(zip);
}

static void test_xlsx_reader_refuses_bad_files(void **state)
{
	(void)state;
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_xlsx("PK\x03\x04garbage", 11, &s, &err), -1);
	assert_int_equal(err.kind, ZE_INVALID_IMPORT);
	/* no workbook */
	const char *n1[] = {"xl/worksheets/sheet1.xml"};
	const char *b1[] = {SHEET};
	expect_refused(n1, b1, 1, ZE_INVALID_IMPORT);
	/* a DOCTYPE (entity expansion) */
	const char *n2[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
	const char *b2[] = {"<workbook/>", "<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaa\">]>"
	                                   "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&a;</t></is></c></row>"
	                                   "</sheetData></worksheet>"};
	expect_refused(n2, b2, 2, ZE_INVALID_IMPORT);
	/* a shared string that is not there */
	const char *b3[] = {"<workbook/>", "<worksheet><sheetData><row><c t=\"s\"><v>5</v></c></row></sheetData>"
	                                   "</worksheet>"};
	expect_refused(n2, b3, 2, ZE_INVALID_IMPORT);
	/* not XML */
	const char *b4[] = {"<workbook/>", "<worksheet><sheetData><row>"};
	expect_refused(n2, b4, 2, ZE_INVALID_IMPORT);
	/* no sheet at all */
	const char *n5[] = {"xl/workbook.xml"};
	const char *b5[] = {"<workbook/>"};
	expect_refused(n5, b5, 1, ZE_INVALID_IMPORT);
}

static void test_xlsx_reader_refuses_a_zip_bomb(void **state)
{
	(void)state;
	/* 80 MiB of blanks inside the sheet compress to well under 1 MiB. */
	size_t big = 80u << 20;
	char *sheet = malloc(big);
	assert_non_null(sheet);
	const char head[] = "<worksheet><sheetData>", tail[] = "</sheetData></worksheet>";
	memset(sheet, ' ', big);
	memcpy(sheet, head, strlen(head));
	memcpy(sheet + big - strlen(tail), tail, strlen(tail));
	const char *names[] = {"xl/workbook.xml", "xl/worksheets/sheet1.xml"};
	const char *bodies[] = {"<workbook/>", sheet};
	size_t lens[] = {strlen("<workbook/>"), big};
	size_t len;
	char *zip = make_zip(names, bodies, lens, 2, &len);
	free(sheet);
	assert_true(len < (4u << 20));
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_xlsx(zip, len, &s, &err), -1);
	assert_int_equal(err.kind, ZE_PAYLOAD_TOO_LARGE);
	free(zip);
}

static void test_csv_reader(void **state)
{
	(void)state;
	const char text[] = "\xEF\xBB\xBF"
	                    "a,\"b,1\",\"say \"\"hi\"\"\"\r\n"
	                    "\r\n"
	                    " x ,,\"two\nlines\"\n"
	                    "last";
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_csv(text, strlen(text), &s, &err), 0);
	assert_int_equal(s.default_wan, 0);
	assert_int_equal(s.nrows, 3);
	assert_string_equal(sheet_at(&s, 0, 0)->text, "a");
	assert_string_equal(sheet_at(&s, 0, 1)->text, "b,1");
	assert_string_equal(sheet_at(&s, 0, 2)->text, "say \"hi\"");
	assert_string_equal(sheet_at(&s, 1, 0)->text, "x");
	assert_null(sheet_at(&s, 1, 1));
	assert_string_equal(sheet_at(&s, 1, 2)->text, "two\nlines");
	assert_string_equal(sheet_at(&s, 2, 0)->text, "last");
	sheet_release(&s);
	assert_int_equal(sheet_read_csv("a,\"open\n", 8, &s, &err), -1);
	assert_int_equal(err.kind, ZE_INVALID_IMPORT);
	assert_int_equal(sheet_read_csv("\xff\xfe", 2, &s, &err), -1);
	assert_int_equal(err.kind, ZE_INVALID_IMPORT);
}

static void test_column_letters(void **state)
{
	(void)state;
	const struct {
		int col;
		const char *name;
	} cases[] = {{0, "A"}, {25, "Z"}, {26, "AA"}, {35, "AJ"}, {701, "ZZ"}, {702, "AAA"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[8];
		sheet_col_name(cases[i].col, out, sizeof out);
		assert_string_equal(out, cases[i].name);
	}
}

/* A CSV imported into a store comes out of the .xlsx export and back through the reader. */
static void test_export_read_back(void **state)
{
	(void)state;
	char dir[PATH_MAX];
	tu_mkdtemp(dir);
	struct db *db = tu_open_store(dir, "io.db");
	const char csv[] =
	        "年度,项目编号,项目名称,级别,行业,开工日期,概算总投资(元),年度计划投资(元),1月(元),2月(元),3月(元),"
	        "4月(元),5月(元),6月(元),7月(元),8月(元),9月(元),10月(元),11月(元),12月(元)\n"
	        "2023,A-1,甲项目,省重点,化工,2022-10-01,123456789,5000001,1,,,,,,,,,,,2\n"
	        "2023,B-2,乙项目,other,新材料,,10000,,,,,,,,,,,,,\n";
	struct sheet s;
	struct zerr err;
	zerr_clear(&err);
	assert_int_equal(sheet_read_csv(csv, strlen(csv), &s, &err), 0);
	struct projects_import_result res;
	int rc = projects_import(db, &s, 0, &res, &err);
	if (rc)
		print_error("%s\n", json_dumps(res.report, 0));
	assert_int_equal(rc, 0);
	assert_int_equal(res.added, 2);
	json_decref(res.report);
	sheet_release(&s);

	struct project_filter f = {.year = 2023, .month = 12};
	char *out;
	size_t len;
	assert_int_equal(projects_export_xlsx(db, &f, &out, &len, &err), 0);
	assert_int_equal(sheet_read_xlsx(out, len, &s, &err), 0);
	free(out);
	assert_string_equal(sheet_at(&s, 0, 0)->text, "2023年重点项目台账(截至2023年12月底)");
	assert_string_equal(sheet_at(&s, 1, 2)->text, "项目编号");
	assert_string_equal(sheet_at(&s, 2, 20)->text, "概算总投资");
	assert_string_equal(sheet_at(&s, 3, 2)->text, "A-1");
	assert_string_equal(sheet_at(&s, 3, 4)->text, "省重点");
	assert_string_equal(sheet_at(&s, 3, 15)->text, "开工");
	assert_string_equal(sheet_at(&s, 3, 20)->text, "12345.6789"); /* 万元, to the yuan */
	assert_int_equal(sheet_at(&s, 3, 20)->is_num, 1);
	assert_string_equal(sheet_at(&s, 3, 21)->text, "500.0001");
	assert_string_equal(sheet_at(&s, 3, 22)->text, "0.0003"); /* the months' sum */
	assert_string_equal(sheet_at(&s, 3, 24)->text, "0.0001");
	assert_null(sheet_at(&s, 3, 25));
	assert_string_equal(sheet_at(&s, 4, 4)->text, "其他");
	assert_string_equal(sheet_at(&s, 4, 15)->text, "谋划");
	assert_string_equal(sheet_at(&s, 5, 0)->text, "合计(2个项目)");
	assert_string_equal(sheet_at(&s, 5, 20)->text, "12346.6789");
	/* And the file imports again unchanged: the same store, updated by code. */
	assert_int_equal(projects_import(db, &s, 1, &res, &err), 0);
	assert_int_equal(res.updated, 2);
	assert_int_equal(res.added, 0);
	json_decref(res.report);
	sheet_release(&s);
	db_close(db);
	tu_rmtree(dir);
}

int main(void)
{
#define T(f) cmocka_unit_test(f)
	const struct CMUnitTest tests[] = {
	        T(test_xlsx_reader_reads_first_sheet_strings_and_numbers),
	        T(test_xlsx_reader_refuses_bad_files),
	        T(test_xlsx_reader_refuses_a_zip_bomb),
	        T(test_csv_reader),
	        T(test_column_letters),
	        T(test_export_read_back),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
