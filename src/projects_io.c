/*
 * projects_io.c — the ledger as .xlsx, CSV and OC4IDS, and its import;
 * see projects_io.h and docs/PROJECTS.md ("Excel").
 */
#include "projects_io.h"
#include "buf.h"
#include "db.h"
#include "text.h"
#include "timeutil.h"

#include <errno.h>
#include <expat.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- the columns of the ledger (export and import template) ------------------ */

enum col {
	C_SEQ,
	C_YEAR,
	C_CODE,
	C_NAME,
	C_LEVEL,
	C_INDUSTRY,
	C_OWNER,
	C_CREDIT,
	C_LEADER,
	C_DEPT,
	C_PSTART,
	C_PEND,
	C_NEWECO,
	C_STRATEGIC,
	C_BATCHES,
	C_STAGE,
	C_D_SIGNED,
	C_D_STARTED,
	C_D_PRODUCTION,
	C_D_EFFECTIVE,
	C_TOTAL,
	C_PLAN,
	C_DONE,
	C_PCT,
	C_M1,
	C__COUNT = C_M1 + 12
};

static const char *const COL_NAMES[C__COUNT] = {"序号",         "年度",
                                                "项目编号",     "项目名称",
                                                "级别",         "行业",
                                                "业主单位",     "统一社会信用代码",
                                                "分包领导",     "责任部门",
                                                "计划开工",     "计划竣工",
                                                "新经济",       "战略性新兴产业",
                                                "三个一批",     "项目阶段",
                                                "签约日期",     "开工日期",
                                                "投产日期",     "达效日期",
                                                "概算总投资",   "年度计划投资",
                                                "累计完成投资", "完成年度计划",
                                                "1月",          "2月",
                                                "3月",          "4月",
                                                "5月",          "6月",
                                                "7月",          "8月",
                                                "9月",          "10月",
                                                "11月",         "12月"};

/* Columns a file must have (the others may be left out). */
static int col_required(int c)
{
	return c == C_YEAR || c == C_CODE || c == C_NAME || c == C_LEVEL || c == C_INDUSTRY || c == C_TOTAL ||
	       c == C_PLAN || c >= C_M1;
}

static int col_is_money(int c)
{
	return c == C_TOTAL || c == C_PLAN || c == C_DONE || c >= C_M1;
}

static const char *const LEVEL_CODES[] = {"province", "city", "district", "other"};
static const char *const LEVEL_ZH[] = {"省重点", "市重点", "区重点", "其他"};
static const char *const STAGE_CODES[] = {"planning", "signed", "started", "building", "production", "effective"};
static const char *const STAGE_ZH[] = {"谋划", "签约", "开工", "在建", "投产", "达效"};
static const char *const KIND_CODES[] = {"signed", "started", "production"};
static const char *const KIND_ZH[] = {"签约", "开工", "投产"};
/* The stage date columns and their stages. */
static const int DATE_COLS[4] = {C_D_SIGNED, C_D_STARTED, C_D_PRODUCTION, C_D_EFFECTIVE};
static const int DATE_STAGES[4] = {1, 2, 4, 5};

static int index_of(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

/* ---- the sheet ---------------------------------------------------------------- */

void sheet_col_name(int col, char *out, size_t outlen)
{
	char tmp[8];
	int n = 0;
	for (col++; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	size_t i = 0;
	for (; n > 0 && i + 1 < outlen; i++)
		out[i] = tmp[--n];
	out[i] = '\0';
}

void sheet_release(struct sheet *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->cells[i].text);
	free(s->cells);
	free(s->row_start);
	memset(s, 0, sizeof *s);
}

/* Adds a cell with text[0..len) trimmed of surrounding blanks; empty text adds nothing. */
static int sheet_add(struct sheet *s, int row, int col, int is_num, const char *text, size_t len)
{
	while (len && (*text == ' ' || *text == '\t' || *text == '\r' || *text == '\n'))
		text++, len--;
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t' || text[len - 1] == '\r' || text[len - 1] == '\n'))
		len--;
	if (!len || col >= SHEET_MAX_COLS || col < 0 || row < 0)
		return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct sheet_cell *c = realloc(s->cells, cap * sizeof *c);
		if (!c)
			return -1;
		s->cells = c;
		s->cap = cap;
	}
	char *t = malloc(len + 1);
	if (!t)
		return -1;
	memcpy(t, text, len);
	t[len] = '\0';
	s->cells[s->n++] = (struct sheet_cell){row, col, is_num, t};
	if (row + 1 > s->nrows)
		s->nrows = row + 1;
	return 0;
}

static int cell_cmp(const void *a, const void *b)
{
	const struct sheet_cell *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static int sheet_finish(struct sheet *s)
{
	if (s->n > 1)
		qsort(s->cells, s->n, sizeof *s->cells, cell_cmp);
	s->row_start = calloc((size_t)s->nrows + 1, sizeof *s->row_start);
	if (!s->row_start)
		return -1;
	size_t i = 0;
	for (int r = 0; r <= s->nrows; r++) {
		while (i < s->n && s->cells[i].row < r)
			i++;
		s->row_start[r] = i;
	}
	return 0;
}

const struct sheet_cell *sheet_at(const struct sheet *s, int row, int col)
{
	if (row < 0 || row >= s->nrows || !s->row_start)
		return NULL;
	const struct sheet_cell *c = NULL;
	for (size_t i = s->row_start[row]; i < s->row_start[row + 1]; i++)
		if (s->cells[i].col == col)
			c = &s->cells[i]; /* the last one wins when a file names a cell twice */
	return c;
}

static const char *sheet_text(const struct sheet *s, int row, int col)
{
	const struct sheet_cell *c = col < 0 ? NULL : sheet_at(s, row, col);
	return c ? c->text : NULL;
}

/* ---- CSV ---------------------------------------------------------------------- */

int sheet_read_csv(const char *text, size_t len, struct sheet *s, struct zerr *err)
{
	memset(s, 0, sizeof *s);
	if (!utf8_valid(text, len))
		return zerr_set(err, ZE_INVALID_IMPORT, NULL, "CSV 须为 UTF-8 编码", "the CSV must be UTF-8");
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	struct buf field;
	buf_init(&field, 1 << 20);
	int row = 0, col = 0, any = 0;
	while (i <= len) {
		buf_reset(&field);
		int quoted = 0;
		if (i < len && text[i] == '"') {
			quoted = 1;
			i++;
			for (;;) {
				if (i >= len) {
					buf_release(&field);
					sheet_release(s);
					char zh[96], en[96];
					snprintf(zh, sizeof zh, "第%d行:引号未闭合", row + 1);
					snprintf(en, sizeof en, "row %d: unterminated quote", row + 1);
					return zerr_set(err, ZE_INVALID_IMPORT, NULL, zh, en);
				}
				if (text[i] == '"') {
					if (i + 1 < len && text[i + 1] == '"') {
						buf_putc(&field, '"');
						i += 2;
						continue;
					}
					i++;
					break;
				}
				buf_putc(&field, text[i++]);
			}
		}
		while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
			buf_putc(&field, text[i++]); /* unquoted text, or text after a closing quote */
		if (field.err) {
			buf_release(&field);
			sheet_release(s);
			return zerr_set(err, ZE_INVALID_IMPORT, NULL, "CSV 单元格过长", "a CSV field is too long");
		}
		if (field.len || quoted) {
			if (sheet_add(s, row, col, 0, field.data ? field.data : "", field.len)) {
				buf_release(&field);
				sheet_release(s);
				return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
			}
			any = 1;
		}
		if (i < len && text[i] == ',') {
			i++;
			col++;
			continue;
		}
		/* end of the record */
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		if (any || col > 0)
			row++;
		col = 0;
		any = 0;
		if (row > SHEET_MAX_ROWS + 20) {
			buf_release(&field);
			sheet_release(s);
			return zerr_set(err, ZE_INVALID_IMPORT, NULL, "行数过多,最多10000行",
			                "too many rows: at most 10000");
		}
		if (i >= len)
			break;
	}
	buf_release(&field);
	s->default_wan = 0;
	if (sheet_finish(s)) {
		sheet_release(s);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	return 0;
}

/* ---- .xlsx: a zip of XML parts ------------------------------------------------ */

struct xml_ctx {
	XML_Parser p;
	int failed; /* 1: refused content (DOCTYPE, entities), 2: too big, 3: out of memory, 4: bad data */
	const char *why_zh, *why_en;
	/* workbook.xml / rels */
	char rid[64];
	char target[256];
	int found;
	/* shared strings */
	char **sst;
	size_t nsst, capsst;
	int in_si, in_t, rph;
	struct buf text;
	/* the sheet */
	struct sheet *s;
	int row, col, in_c, in_v, in_is;
	char ctype[16];
	struct buf v;
};

static const char *local_name(const char *n)
{
	const char *c = strrchr(n, ':');
	return c ? c + 1 : n;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

static void xml_fail(struct xml_ctx *x, int why)
{
	if (!x->failed)
		x->failed = why;
	XML_StopParser(x->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                               int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	xml_fail(ud, 1);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int pe, const XML_Char *value, int value_len,
                              const XML_Char *base, const XML_Char *sysid, const XML_Char *pubid,
                              const XML_Char *notation)
{
	(void)name, (void)pe, (void)value, (void)value_len, (void)base, (void)sysid, (void)pubid, (void)notation;
	xml_fail(ud, 1);
}

/* workbook.xml: the r:id of the first <sheet>. */
static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *x = ud;
	if (x->found || strcmp(local_name(name), "sheet") != 0)
		return;
	for (int i = 0; atts[i]; i += 2)
		if (strcmp(local_name(atts[i]), "id") == 0 && strchr(atts[i], ':')) {
			snprintf(x->rid, sizeof x->rid, "%s", atts[i + 1]);
			x->found = 1;
		}
}

/* xl/_rels/workbook.xml.rels: the target of that r:id. */
static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *x = ud;
	if (x->found || strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
	if (id && target && strcmp(id, x->rid) == 0) {
		if (target[0] == '/')
			snprintf(x->target, sizeof x->target, "%s", target + 1);
		else
			snprintf(x->target, sizeof x->target, "xl/%s", target);
		x->found = 1;
	}
}

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct xml_ctx *x = ud;
	const char *n = local_name(name);
	if (strcmp(n, "si") == 0) {
		x->in_si = 1;
		buf_reset(&x->text);
	} else if (strcmp(n, "rPh") == 0)
		x->rph++;
	else if (strcmp(n, "t") == 0 && x->in_si && !x->rph)
		x->in_t = 1;
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct xml_ctx *x = ud;
	const char *n = local_name(name);
	if (strcmp(n, "t") == 0)
		x->in_t = 0;
	else if (strcmp(n, "rPh") == 0)
		x->rph--;
	else if (strcmp(n, "si") == 0 && x->in_si) {
		x->in_si = 0;
		if (x->text.err) {
			xml_fail(x, 2);
			return;
		}
		if (x->nsst == x->capsst) {
			size_t cap = x->capsst ? x->capsst * 2 : 256;
			char **a = realloc(x->sst, cap * sizeof *a);
			if (!a) {
				xml_fail(x, 3);
				return;
			}
			x->sst = a;
			x->capsst = cap;
		}
		char *t = strdup(buf_cstr(&x->text));
		if (!t) {
			xml_fail(x, 3);
			return;
		}
		x->sst[x->nsst++] = t;
	}
}

static void XMLCALL sst_chars(void *ud, const XML_Char *s, int len)
{
	struct xml_ctx *x = ud;
	if (x->in_t)
		buf_append(&x->text, s, (size_t)len);
}

/* "AB12" → col 27, row 11 (0-based); -1 when it is not a cell reference. */
static int parse_ref(const char *r, int *row, int *col)
{
	int c = 0, n = 0;
	long rw = 0;
	for (; *r >= 'A' && *r <= 'Z' && n < 4; r++, n++)
		c = c * 26 + (*r - 'A' + 1);
	if (!n || *r < '1' || *r > '9')
		return -1;
	for (; *r >= '0' && *r <= '9' && rw < 10000000; r++)
		rw = rw * 10 + (*r - '0');
	if (*r)
		return -1;
	*row = (int)rw - 1;
	*col = c - 1;
	return 0;
}

static void XMLCALL ws_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xml_ctx *x = ud;
	const char *n = local_name(name);
	if (strcmp(n, "row") == 0) {
		const char *r = attr(atts, "r");
		char *end;
		long v = r ? strtol(r, &end, 10) : 0;
		x->row = r && *end == '\0' && v >= 1 && v <= 10000000 ? (int)v - 1 : x->row + 1;
		x->col = -1;
		if (x->row > SHEET_MAX_ROWS + 20) {
			x->why_zh = "行数过多,最多10000行";
			x->why_en = "too many rows: at most 10000";
			xml_fail(x, 4);
		}
	} else if (strcmp(n, "c") == 0) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		int row, col;
		if (r && parse_ref(r, &row, &col) == 0) {
			x->col = col;
			if (row != x->row) {
				x->why_zh = "单元格引用与所在行不符";
				x->why_en = "a cell reference outside its row";
				xml_fail(x, 4);
				return;
			}
		} else
			x->col++;
		snprintf(x->ctype, sizeof x->ctype, "%s", t ? t : "n");
		x->in_c = 1;
		buf_reset(&x->v);
		buf_reset(&x->text);
	} else if (x->in_c && strcmp(n, "v") == 0)
		x->in_v = 1;
	else if (x->in_c && strcmp(n, "is") == 0)
		x->in_is = 1;
	else if (x->in_is && strcmp(n, "rPh") == 0)
		x->rph++;
	else if (x->in_is && strcmp(n, "t") == 0 && !x->rph)
		x->in_t = 1;
}

static void XMLCALL ws_end(void *ud, const XML_Char *name)
{
	struct xml_ctx *x = ud;
	const char *n = local_name(name);
	if (strcmp(n, "v") == 0)
		x->in_v = 0;
	else if (strcmp(n, "t") == 0)
		x->in_t = 0;
	else if (strcmp(n, "rPh") == 0 && x->rph)
		x->rph--;
	else if (strcmp(n, "is") == 0)
		x->in_is = 0;
	else if (strcmp(n, "c") == 0 && x->in_c) {
		x->in_c = 0;
		if (x->v.err || x->text.err) {
			xml_fail(x, 2);
			return;
		}
		const char *v = buf_cstr(&x->v);
		const char *text = v;
		int is_num = 0;
		if (strcmp(x->ctype, "s") == 0) {
			char *end;
			errno = 0;
			long k = strtol(v, &end, 10);
			if (!*v || *end || errno || k < 0 || (size_t)k >= x->nsst) {
				x->why_zh = "共享字符串编号无效";
				x->why_en = "a shared string index out of range";
				xml_fail(x, 4);
				return;
			}
			text = x->sst[k];
		} else if (strcmp(x->ctype, "inlineStr") == 0)
			text = buf_cstr(&x->text);
		else if (strcmp(x->ctype, "n") == 0)
			is_num = 1;
		if (sheet_add(x->s, x->row, x->col, is_num, text, strlen(text)))
			xml_fail(x, 3);
	}
}

static void XMLCALL ws_chars(void *ud, const XML_Char *s, int len)
{
	struct xml_ctx *x = ud;
	if (x->in_v)
		buf_append(&x->v, s, (size_t)len);
	else if (x->in_t)
		buf_append(&x->text, s, (size_t)len);
}

/* Parses one part of the zip with the handlers set on x->p. 0, 1 when the part
 * is absent, -1 with err. *budget counts down the uncompressed bytes allowed. */
static int parse_part(zip_t *z, const char *part, struct xml_ctx *x, long *budget, struct zerr *err)
{
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat(z, part, 0, &st) != 0)
		return 1;
	if ((st.valid & ZIP_STAT_SIZE) && st.size > (zip_uint64_t)*budget)
		return zerr_set(err, ZE_PAYLOAD_TOO_LARGE, NULL, "xlsx 解压后过大(上限64MiB)",
		                "the .xlsx is too large uncompressed (limit 64 MiB)");
	zip_file_t *f = zip_fopen(z, part, 0);
	if (!f)
		return zerr_set(err, ZE_INVALID_IMPORT, NULL, "xlsx 文件已损坏", "the .xlsx is damaged");
	XML_SetUserData(x->p, x);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	XML_SetEntityDeclHandler(x->p, on_entity);
	char chunk[65536];
	int rc = 0;
	for (;;) {
		zip_int64_t n = zip_fread(f, chunk, sizeof chunk);
		if (n < 0) {
			rc = zerr_set(err, ZE_INVALID_IMPORT, NULL, "xlsx 文件已损坏", "the .xlsx is damaged");
			break;
		}
		*budget -= (long)n;
		if (*budget < 0) {
			rc = zerr_set(err, ZE_PAYLOAD_TOO_LARGE, NULL, "xlsx 解压后过大(上限64MiB)",
			              "the .xlsx is too large uncompressed (limit 64 MiB)");
			break;
		}
		if (XML_Parse(x->p, chunk, (int)n, n == 0) != XML_STATUS_OK || x->failed) {
			if (x->failed == 2)
				rc = zerr_set(err, ZE_PAYLOAD_TOO_LARGE, NULL, "单元格文本过长",
				              "a cell's text is too long");
			else if (x->failed == 3)
				rc = zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
			else if (x->failed == 4 && x->why_zh)
				rc = zerr_set(err, ZE_INVALID_IMPORT, NULL, x->why_zh, x->why_en);
			else {
				char zh[160], en[160];
				snprintf(zh, sizeof zh, "xlsx 中的 %s 不是可接受的 XML", part);
				snprintf(en, sizeof en, "%s in the .xlsx is not acceptable XML", part);
				rc = zerr_set(err, ZE_INVALID_IMPORT, NULL, zh, en);
			}
			break;
		}
		if (n == 0)
			break;
	}
	zip_fclose(f);
	return rc;
}

static XML_Parser new_parser(struct xml_ctx *x, XML_StartElementHandler start, XML_EndElementHandler end,
                             XML_CharacterDataHandler chars)
{
	if (x->p)
		XML_ParserFree(x->p);
	x->p = XML_ParserCreate("UTF-8");
	if (x->p) {
		XML_SetElementHandler(x->p, start, end);
		XML_SetCharacterDataHandler(x->p, chars);
	}
	return x->p;
}

int sheet_read_xlsx(const void *data, size_t len, struct sheet *s, struct zerr *err)
{
	memset(s, 0, sizeof *s);
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
	zip_error_fini(&ze);
	if (!z) {
		zip_source_free(src);
		return zerr_set(err, ZE_INVALID_IMPORT, NULL, "不是有效的 xlsx 文件(zip 无法打开)",
		                "not a valid .xlsx file (the zip cannot be opened)");
	}
	struct xml_ctx x;
	memset(&x, 0, sizeof x);
	buf_init(&x.text, 256 * 1024);
	buf_init(&x.v, 256 * 1024);
	x.s = s;
	long budget = XLSX_MAX_XML;
	int rc = -1;
	/* The first sheet: workbook.xml names it, its rels give the part. */
	snprintf(x.target, sizeof x.target, "%s", "xl/worksheets/sheet1.xml");
	if (!new_parser(&x, wb_start, NULL, NULL))
		goto oom;
	int r = parse_part(z, "xl/workbook.xml", &x, &budget, err);
	if (r < 0)
		goto out;
	if (r == 1) {
		zerr_set(err, ZE_INVALID_IMPORT, NULL, "不是有效的 xlsx 文件(缺少 xl/workbook.xml)",
		         "not a valid .xlsx file (no xl/workbook.xml)");
		goto out;
	}
	if (x.found) {
		x.found = 0;
		if (!new_parser(&x, rels_start, NULL, NULL))
			goto oom;
		if (parse_part(z, "xl/_rels/workbook.xml.rels", &x, &budget, err) < 0)
			goto out;
	}
	if (!new_parser(&x, sst_start, sst_end, sst_chars))
		goto oom;
	if (parse_part(z, "xl/sharedStrings.xml", &x, &budget, err) < 0)
		goto out;
	if (!new_parser(&x, ws_start, ws_end, ws_chars))
		goto oom;
	x.row = -1;
	r = parse_part(z, x.target, &x, &budget, err);
	if (r < 0)
		goto out;
	if (r == 1) {
		zerr_set(err, ZE_INVALID_IMPORT, NULL, "xlsx 中没有工作表", "the .xlsx has no worksheet");
		goto out;
	}
	s->default_wan = 1;
	if (sheet_finish(s))
		goto oom;
	rc = 0;
	goto out;
oom:
	zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
out:
	if (x.p)
		XML_ParserFree(x.p);
	for (size_t i = 0; i < x.nsst; i++)
		free(x.sst[i]);
	free(x.sst);
	buf_release(&x.text);
	buf_release(&x.v);
	zip_discard(z);
	if (rc)
		sheet_release(s);
	return rc;
}

/* ---- the ledger as stored ------------------------------------------------------ */

struct lrow {
	int64_t id;
	char *code, *name, *industry, *owner, *credit, *leader, *dept, *unit;
	int level, stage, new_economy, strategic;
	int has_point; /* lat, lon: where the project is (WGS-84) */
	double lat, lon;
	char pstart[11], pend[11];
	char dates[6][11]; /* by stage */
	struct buf batches;
	int64_t total, plan, months[12];
	int has_plan;
	unsigned has_month;
};

struct ledger {
	struct lrow *rows;
	size_t n;
	int year, month;
	int64_t total, plan, done, months[12];
};

static void ledger_release(struct ledger *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct lrow *r = &l->rows[i];
		free(r->code), free(r->name), free(r->industry), free(r->owner), free(r->credit), free(r->leader),
		        free(r->dept), free(r->unit);
		buf_release(&r->batches);
	}
	free(l->rows);
	memset(l, 0, sizeof *l);
}

static int64_t row_done(const struct lrow *r)
{
	int64_t d = 0;
	for (int m = 0; m < 12; m++)
		d += r->months[m];
	return d;
}

/* The same selection as the other ledger views (pq_filter in projects.c), as one static
 * statement: every condition is off when its bound value is NULL or 0. */
#define IO_FILTER                                                                                                      \
	" (? = 0 OR (? & (CASE p.level WHEN 'province' THEN 1 WHEN 'city' THEN 2 WHEN 'district' THEN 4 ELSE 8 END))"  \
	" <> 0) AND (? = 0 OR EXISTS (SELECT 1 FROM project_batches b2 WHERE b2.project_id = p.id AND b2.batch = ?))"  \
	" AND (? IS NULL OR p.industry = ?) AND (? IS NULL OR p.leader = ?) AND (? = 0 OR p.department_id = ?)"        \
	" AND (? IS NULL OR p.stage = ?) AND (? IS NULL OR p.code LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\')"

static const char SQL_LEDGER_PROJECTS[] =
        "SELECT p.id, p.code, p.name, p.level, p.industry, p.owner_name, p.owner_credit_code, p.leader, d.name,"
        " p.planned_start, p.planned_completion, p.new_economy, p.strategic_emerging, p.stage, p.total_investment,"
        " (SELECT pl.planned_investment FROM project_plans pl WHERE pl.project_id = p.id AND pl.year = ?),"
        " p.lat, p.lon, (SELECT u.name FROM units u WHERE u.code = p.unit_code)"
        " FROM projects p LEFT JOIN departments d ON d.id = p.department_id WHERE" IO_FILTER " ORDER BY p.id";
static const char SQL_LEDGER_STAGES[] = "SELECT s.project_id, s.stage, s.date FROM project_stages s JOIN projects p"
                                        " ON p.id = s.project_id WHERE" IO_FILTER;
static const char SQL_LEDGER_PROGRESS[] =
        "SELECT pr.project_id, pr.month, pr.completed_investment FROM project_progress pr JOIN projects p"
        " ON p.id = pr.project_id WHERE pr.year = ? AND pr.month <= ? AND" IO_FILTER;
static const char SQL_LEDGER_BATCHES[] =
        "SELECT b.project_id, b.batch, b.kind FROM project_batches b JOIN projects p ON p.id = b.project_id "
        "WHERE" IO_FILTER
        " ORDER BY b.project_id, b.batch, CASE b.kind WHEN 'signed' THEN 0 WHEN 'started' THEN 1 ELSE 2 END";

static void bind_io_filter(struct db_stmt *st, int at, const struct project_filter *f, const char *like)
{
	const char *industry = f->industry && *f->industry ? f->industry : NULL;
	const char *leader = f->leader && *f->leader ? f->leader : NULL;
	const char *stage = f->stage && *f->stage ? f->stage : NULL;
	const char *q = like && *like ? like : NULL;
	db_bind_i64(st, at, f->levels);
	db_bind_i64(st, at + 1, f->levels);
	db_bind_i64(st, at + 2, f->batch);
	db_bind_i64(st, at + 3, f->batch);
	db_bind_text(st, at + 4, industry);
	db_bind_text(st, at + 5, industry);
	db_bind_text(st, at + 6, leader);
	db_bind_text(st, at + 7, leader);
	db_bind_i64(st, at + 8, f->department > 0 ? f->department : 0);
	db_bind_i64(st, at + 9, f->department > 0 ? f->department : 0);
	db_bind_text(st, at + 10, stage);
	db_bind_text(st, at + 11, stage);
	db_bind_text(st, at + 12, q);
	db_bind_text(st, at + 13, q);
	db_bind_text(st, at + 14, q);
}

static struct lrow *row_of(struct ledger *l, int64_t id)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->rows[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->rows[lo].id == id ? &l->rows[lo] : NULL;
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

static int ledger_load(struct db *db, const struct project_filter *f, struct ledger *l, struct zerr *err)
{
	memset(l, 0, sizeof *l);
	l->year = f->year;
	l->month = f->month;
	size_t cap = 0;
	char like[512];
	text_like_pattern(f->q, like, sizeof like);
	int tx = db_read_begin(db) == DB_OK;
	int rc;
	struct db_stmt *st = db_prepare(db, SQL_LEDGER_PROJECTS);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, f->year);
	bind_io_filter(st, 2, f, like);
	while ((rc = db_step(st)) == DB_ROW) {
		if (l->n == cap) {
			cap = cap ? cap * 2 : 64;
			struct lrow *a = realloc(l->rows, cap * sizeof *a);
			if (!a) {
				db_stmt_done(st);
				goto fail;
			}
			l->rows = a;
		}
		struct lrow *r = &l->rows[l->n++];
		memset(r, 0, sizeof *r);
		buf_init(&r->batches, 4096);
		r->id = db_col_i64(st, 0);
		r->code = strdup(db_col_text(st, 1));
		r->name = strdup(db_col_text(st, 2));
		r->level = index_of(db_col_text(st, 3), LEVEL_CODES, 4);
		r->industry = strdup(db_col_text(st, 4));
		r->owner = dup_or_null(db_col_text(st, 5));
		r->credit = dup_or_null(db_col_text(st, 6));
		r->leader = dup_or_null(db_col_text(st, 7));
		r->dept = dup_or_null(db_col_text(st, 8));
		snprintf(r->pstart, sizeof r->pstart, "%s", db_col_text(st, 9));
		snprintf(r->pend, sizeof r->pend, "%s", db_col_text(st, 10));
		r->new_economy = (int)db_col_i64(st, 11);
		r->strategic = (int)db_col_i64(st, 12);
		r->stage = index_of(db_col_text(st, 13), STAGE_CODES, 6);
		r->total = db_col_i64(st, 14);
		r->has_plan = !db_col_is_null(st, 15);
		r->plan = db_col_i64(st, 15);
		r->has_point = !db_col_is_null(st, 16) && !db_col_is_null(st, 17);
		r->lat = db_col_double(st, 16);
		r->lon = db_col_double(st, 17);
		r->unit = dup_or_null(db_col_text(st, 18));
		if (!r->code || !r->name || !r->industry) {
			db_stmt_done(st);
			goto fail;
		}
		l->total += r->total;
		l->plan += r->plan;
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;

	st = db_prepare(db, SQL_LEDGER_STAGES);
	if (!st)
		goto fail;
	bind_io_filter(st, 1, f, like);
	while ((rc = db_step(st)) == DB_ROW) {
		struct lrow *r = row_of(l, db_col_i64(st, 0));
		int k = index_of(db_col_text(st, 1), STAGE_CODES, 6);
		if (r && k >= 0)
			snprintf(r->dates[k], sizeof r->dates[k], "%s", db_col_text(st, 2));
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;

	st = db_prepare(db, SQL_LEDGER_PROGRESS);
	if (!st)
		goto fail;
	db_bind_i64(st, 1, f->year);
	db_bind_i64(st, 2, f->month);
	bind_io_filter(st, 3, f, like);
	while ((rc = db_step(st)) == DB_ROW) {
		struct lrow *r = row_of(l, db_col_i64(st, 0));
		int64_t m = db_col_i64(st, 1);
		if (r && m >= 1 && m <= 12) {
			r->months[m - 1] = db_col_i64(st, 2);
			r->has_month |= 1u << (m - 1);
			l->done += r->months[m - 1];
			l->months[m - 1] += r->months[m - 1];
		}
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;

	st = db_prepare(db, SQL_LEDGER_BATCHES);
	if (!st)
		goto fail;
	bind_io_filter(st, 1, f, like);
	while ((rc = db_step(st)) == DB_ROW) {
		struct lrow *r = row_of(l, db_col_i64(st, 0));
		int k = index_of(db_col_text(st, 2), KIND_CODES, 3);
		if (r && k >= 0)
			buf_printf(&r->batches, "%s%lld期%s", r->batches.len ? "、" : "", (long long)db_col_i64(st, 1),
			           KIND_ZH[k]);
	}
	db_stmt_done(st);
	if (rc != DB_DONE)
		goto fail;
	if (tx)
		db_read_end(db);
	return 0;
fail:
	if (tx)
		db_read_end(db);
	ledger_release(l);
	return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

static const char *levels_zh(unsigned levels, char *out, size_t outlen)
{
	static const char *const zh[] = {"省", "市", "区"};
	size_t n = 0;
	out[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (levels & (1u << i))
			n += (size_t)snprintf(out + n, outlen - n, "%s", zh[i]);
	return out;
}

static void ledger_title(const struct ledger *l, const struct project_filter *f, char *out, size_t outlen)
{
	char lv[32], batch[32] = "";
	if (f->batch)
		snprintf(batch, sizeof batch, "(第%d期)", f->batch);
	snprintf(out, outlen, "%d年%s重点项目台账%s(截至%d年%d月底)", l->year, levels_zh(f->levels, lv, sizeof lv),
	         batch, l->year, l->month);
}

/* Display width of UTF-8 text: 2 for CJK and full-width characters, 1 otherwise. */
static int text_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			w += *p >= 0xE0 ? 2 : 1;
	return w;
}

/* The text of a non-money column of a row, in the form the export writes. */
static const char *row_text(const struct lrow *r, int c, const struct ledger *l, char *tmp, size_t tmplen)
{
	switch (c) {
	case C_YEAR:
		snprintf(tmp, tmplen, "%d", l->year);
		return tmp;
	case C_CODE:
		return r->code;
	case C_NAME:
		return r->name;
	case C_LEVEL:
		return r->level >= 0 ? LEVEL_ZH[r->level] : "";
	case C_INDUSTRY:
		return r->industry;
	case C_OWNER:
		return r->owner ? r->owner : "";
	case C_CREDIT:
		return r->credit ? r->credit : "";
	case C_LEADER:
		return r->leader ? r->leader : "";
	case C_DEPT:
		return r->dept ? r->dept : "";
	case C_PSTART:
		return r->pstart;
	case C_PEND:
		return r->pend;
	case C_NEWECO:
		return r->new_economy ? "是" : "否";
	case C_STRATEGIC:
		return r->strategic ? "是" : "否";
	case C_BATCHES:
		return buf_cstr((struct buf *)&r->batches);
	case C_STAGE:
		return r->stage >= 0 ? STAGE_ZH[r->stage] : "";
	case C_D_SIGNED:
	case C_D_STARTED:
	case C_D_PRODUCTION:
	case C_D_EFFECTIVE:
		for (int i = 0; i < 4; i++)
			if (DATE_COLS[i] == c)
				return r->dates[DATE_STAGES[i]];
		return "";
	default:
		return "";
	}
}

/* Tenths of a percent, half up; -1 when the plan is 0. */
static int64_t pct_tenths(int64_t done, int64_t plan)
{
	return plan > 0 ? (done * 1000 + plan / 2) / plan : -1;
}

int project_levels_parse(const char *s, unsigned *levels)
{
	*levels = 0;
	for (const char *p = s; p && *p;) {
		size_t n = strcspn(p, ",");
		int found = 0;
		for (int i = 0; i < 4; i++)
			if (strlen(LEVEL_CODES[i]) == n && strncmp(p, LEVEL_CODES[i], n) == 0)
				*levels |= 1u << i, found = 1;
		if (!found)
			return -1;
		p += n + (p[n] == ',');
	}
	return 0;
}

/* ---- .xlsx export ---------------------------------------------------------------- */

#define FIRST_DATA_ROW 3 /* title, group headers, column headers */

int projects_export_xlsx(struct db *db, const struct project_filter *f, char **out, size_t *len, struct zerr *err)
{
	struct ledger l;
	if (ledger_load(db, f, &l, err))
		return -1;
	const char *tmpdir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/zonegov-ledger-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0) {
		ledger_release(&l);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	close(fd);
	lxw_workbook_options wo = {.constant_memory = 0, .tmpdir = tmpdir && *tmpdir ? (char *)tmpdir : NULL};
	lxw_workbook *wb = workbook_new_opt(path, &wo);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "重点项目台账") : NULL;
	if (!ws) {
		if (wb)
			workbook_close(wb);
		unlink(path);
		ledger_release(&l);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 16);
	format_set_align(title, LXW_ALIGN_CENTER);
	format_set_align(title, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_align(head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_bg_color(head, 0xDDEBF7);
	lxw_format *text = workbook_add_format(wb);
	format_set_border(text, LXW_BORDER_THIN);
	format_set_align(text, LXW_ALIGN_VERTICAL_CENTER);
	lxw_format *money = workbook_add_format(wb);
	format_set_border(money, LXW_BORDER_THIN);
	format_set_num_format(money, "#,##0.00");
	lxw_format *pct = workbook_add_format(wb);
	format_set_border(pct, LXW_BORDER_THIN);
	format_set_num_format(pct, "0.0");
	lxw_format *total_text = workbook_add_format(wb);
	format_set_bold(total_text);
	format_set_border(total_text, LXW_BORDER_THIN);
	format_set_align(total_text, LXW_ALIGN_CENTER);
	lxw_format *total_money = workbook_add_format(wb);
	format_set_bold(total_money);
	format_set_border(total_money, LXW_BORDER_THIN);
	format_set_num_format(total_money, "#,##0.00");
	lxw_format *total_pct = workbook_add_format(wb);
	format_set_bold(total_pct);
	format_set_border(total_pct, LXW_BORDER_THIN);
	format_set_num_format(total_pct, "0.0");

	char t[256], tmp[64], a[16], b[16], formula[96];
	ledger_title(&l, f, t, sizeof t);
	worksheet_merge_range(ws, 0, 0, 0, C__COUNT - 1, t, title);
	worksheet_set_row(ws, 0, 30, NULL);
	/* Header rows 2 and 3: the project's columns span both rows; money is grouped under its unit. */
	for (int c = 0; c < C_TOTAL; c++)
		worksheet_merge_range(ws, 1, (lxw_col_t)c, 2, (lxw_col_t)c, COL_NAMES[c], head);
	worksheet_merge_range(ws, 1, C_TOTAL, 1, C_PCT, "投资情况(金额单位:万元)", head);
	snprintf(t, sizeof t, "%d年月度完成投资(万元)", l.year);
	worksheet_merge_range(ws, 1, C_M1, 1, C_M1 + 11, t, head);
	for (int c = C_TOTAL; c < C__COUNT; c++)
		worksheet_write_string(ws, 2, (lxw_col_t)c, c == C_PCT ? "完成年度计划(%)" : COL_NAMES[c], head);
	worksheet_set_row(ws, 1, 22, NULL);
	worksheet_set_row(ws, 2, 22, NULL);

	int width[C__COUNT];
	for (int c = 0; c < C__COUNT; c++)
		width[c] = text_width(COL_NAMES[c]) + (c == C_PCT ? 4 : 0);
	for (size_t i = 0; i < l.n; i++) {
		const struct lrow *r = &l.rows[i];
		lxw_row_t row = (lxw_row_t)(FIRST_DATA_ROW + i);
		worksheet_write_number(ws, row, C_SEQ, (double)(i + 1), text);
		for (int c = C_YEAR; c < C_TOTAL; c++) {
			const char *s = row_text(r, c, &l, tmp, sizeof tmp);
			if (c == C_YEAR)
				worksheet_write_number(ws, row, (lxw_col_t)c, l.year, text);
			else if (*s)
				worksheet_write_string(ws, row, (lxw_col_t)c, s, text);
			else
				worksheet_write_blank(ws, row, (lxw_col_t)c, text);
			if (text_width(s) > width[c])
				width[c] = text_width(s);
		}
		worksheet_write_number(ws, row, C_TOTAL, (double)r->total / 10000.0, money);
		if (r->has_plan)
			worksheet_write_number(ws, row, C_PLAN, (double)r->plan / 10000.0, money);
		else
			worksheet_write_blank(ws, row, C_PLAN, money);
		sheet_col_name(C_M1, a, sizeof a);
		sheet_col_name(C_M1 + 11, b, sizeof b);
		snprintf(formula, sizeof formula, "=SUM(%s%u:%s%u)", a, row + 1, b, row + 1);
		worksheet_write_formula_num(ws, row, C_DONE, formula, money, (double)row_done(r) / 10000.0);
		int64_t p = pct_tenths(row_done(r), r->plan);
		if (p >= 0)
			worksheet_write_number(ws, row, C_PCT, (double)p / 10.0, pct);
		else
			worksheet_write_blank(ws, row, C_PCT, pct);
		for (int m = 0; m < 12; m++)
			if (r->has_month & (1u << m))
				worksheet_write_number(ws, row, (lxw_col_t)(C_M1 + m), (double)r->months[m] / 10000.0,
				                       money);
			else
				worksheet_write_blank(ws, row, (lxw_col_t)(C_M1 + m), money);
	}
	/* The totals row: sums as formulas with their values. */
	lxw_row_t trow = (lxw_row_t)(FIRST_DATA_ROW + l.n);
	snprintf(t, sizeof t, "合计(%zu个项目)", l.n);
	worksheet_merge_range(ws, trow, 0, trow, C_TOTAL - 1, t, total_text);
	int64_t sums[C__COUNT] = {0};
	sums[C_TOTAL] = l.total;
	sums[C_PLAN] = l.plan;
	sums[C_DONE] = l.done;
	for (int m = 0; m < 12; m++)
		sums[C_M1 + m] = l.months[m];
	for (int c = C_TOTAL; c < C__COUNT; c++) {
		if (c == C_PCT) {
			int64_t p = pct_tenths(l.done, l.plan);
			if (p >= 0)
				worksheet_write_number(ws, trow, C_PCT, (double)p / 10.0, total_pct);
			else
				worksheet_write_blank(ws, trow, C_PCT, total_pct);
			continue;
		}
		sheet_col_name(c, a, sizeof a);
		if (l.n) {
			snprintf(formula, sizeof formula, "=SUM(%s%d:%s%zu)", a, FIRST_DATA_ROW + 1, a,
			         FIRST_DATA_ROW + l.n);
			worksheet_write_formula_num(ws, trow, (lxw_col_t)c, formula, total_money,
			                            (double)sums[c] / 10000.0);
		} else
			worksheet_write_number(ws, trow, (lxw_col_t)c, 0, total_money);
	}
	for (int c = 0; c < C__COUNT; c++) {
		double w = width[c] + 2;
		if (col_is_money(c))
			w = w < 14 ? 14 : w;
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w > 60 ? 60 : w, NULL);
	}
	worksheet_freeze_panes(ws, FIRST_DATA_ROW, C_NAME + 1);
	worksheet_set_landscape(ws);
	ledger_release(&l);
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR) {
		unlink(path);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	FILE *fp = fopen(path, "rb");
	unlink(path);
	if (!fp)
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	struct buf b2;
	buf_init(&b2, 1L << 30);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_append(&b2, chunk, n);
	fclose(fp);
	if (b2.err) {
		buf_release(&b2);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	*len = b2.len;
	*out = buf_take(&b2);
	return *out ? 0 : zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
}

/* ---- CSV export ------------------------------------------------------------------- */

/* 1 when a spreadsheet would take text starting so for a formula (CSV
 * injection: =, +, -, @); such text is exported behind a ' (OWASP), which
 * the import drops again. */
static int formula_lead(const char *s)
{
	return *s == '=' || *s == '+' || *s == '-' || *s == '@';
}

static void csv_field(struct buf *b, const char *s)
{
	if (formula_lead(s)) {
		buf_putc(b, '"');
		buf_putc(b, '\'');
		for (; *s; s++) {
			if (*s == '"')
				buf_putc(b, '"');
			buf_putc(b, *s);
		}
		buf_putc(b, '"');
		return;
	}
	if (!strpbrk(s, ",\"\r\n")) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_putc(b, '"');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

int projects_export_csv(struct db *db, const struct project_filter *f, char **out, size_t *len, struct zerr *err)
{
	struct ledger l;
	if (ledger_load(db, f, &l, err))
		return -1;
	struct buf b;
	buf_init(&b, 1L << 30);
	buf_puts(&b, "\xEF\xBB\xBF");
	char tmp[64];
	for (int c = 0; c < C__COUNT; c++) {
		if (c)
			buf_putc(&b, ',');
		if (c == C_PCT)
			buf_puts(&b, "完成年度计划(%)");
		else if (col_is_money(c))
			buf_printf(&b, "%s(元)", COL_NAMES[c]);
		else
			buf_puts(&b, COL_NAMES[c]);
	}
	buf_puts(&b, "\r\n");
	for (size_t i = 0; i < l.n; i++) {
		const struct lrow *r = &l.rows[i];
		buf_printf(&b, "%zu", i + 1);
		for (int c = C_YEAR; c < C_TOTAL; c++) {
			buf_putc(&b, ',');
			csv_field(&b, row_text(r, c, &l, tmp, sizeof tmp));
		}
		buf_printf(&b, ",%lld,", (long long)r->total);
		if (r->has_plan)
			buf_printf(&b, "%lld", (long long)r->plan);
		buf_printf(&b, ",%lld,", (long long)row_done(r));
		int64_t p = pct_tenths(row_done(r), r->plan);
		if (p >= 0)
			buf_printf(&b, "%lld.%lld", (long long)(p / 10), (long long)(p % 10));
		for (int m = 0; m < 12; m++) {
			buf_putc(&b, ',');
			if (r->has_month & (1u << m))
				buf_printf(&b, "%lld", (long long)r->months[m]);
		}
		buf_puts(&b, "\r\n");
	}
	buf_printf(&b, "合计(%zu个项目)", l.n);
	for (int c = C_YEAR; c < C_TOTAL; c++)
		buf_putc(&b, ',');
	buf_printf(&b, ",%lld,%lld,%lld,", (long long)l.total, (long long)l.plan, (long long)l.done);
	int64_t p = pct_tenths(l.done, l.plan);
	if (p >= 0)
		buf_printf(&b, "%lld.%lld", (long long)(p / 10), (long long)(p % 10));
	for (int m = 0; m < 12; m++)
		buf_printf(&b, ",%lld", (long long)l.months[m]);
	buf_puts(&b, "\r\n");
	ledger_release(&l);
	if (b.err) {
		buf_release(&b);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	*len = b.len;
	*out = buf_take(&b);
	return *out ? 0 : zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
}

/* ---- OC4IDS ------------------------------------------------------------------------ */

/* Our stages on the OC4IDS projectStatus codelist. */
static const char *const OC4IDS_STATUS[] = {"identification", "preparation", "implementation",
                                            "implementation", "completion",  "completed"};

json_t *projects_export_oc4ids(struct db *db, const struct project_filter *f, struct zerr *err)
{
	struct ledger l;
	if (ledger_load(db, f, &l, err))
		return NULL;
	json_t *projects = json_array();
	for (size_t i = 0; i < l.n; i++) {
		const struct lrow *r = &l.rows[i];
		char desc[256];
		snprintf(desc, sizeof desc, "%s;行业:%s", r->level >= 0 ? LEVEL_ZH[r->level] : "", r->industry);
		json_t *p = json_pack("{s:s,s:s,s:s,s:s,s:[s],s:{s:{s:I,s:s}}}", "id", r->code, "title", r->name,
		                      "description", desc, "status",
		                      r->stage >= 0 ? OC4IDS_STATUS[r->stage] : "identification", "sector", "economy",
		                      "budget", "amount", "amount", (json_int_t)r->total, "currency", "CNY");
		if (!p)
			continue;
		json_t *period = json_object();
		if (r->pstart[0])
			json_object_set_new(period, "startDate", json_sprintf("%sT00:00:00+08:00", r->pstart));
		if (r->pend[0])
			json_object_set_new(period, "endDate", json_sprintf("%sT23:59:59+08:00", r->pend));
		if (json_object_size(period))
			json_object_set_new(p, "period", period);
		else
			json_decref(period);
		/* Where it is: the unit it lies in and its point (GeoJSON: longitude first), when known. */
		json_t *loc = json_pack("{s:s,s:s}", "id", "1", "description", r->unit ? r->unit : "经开区");
		if (loc && r->has_point)
			json_object_set_new(loc, "geometry",
			                    json_pack("{s:s,s:[f,f]}", "type", "Point", "coordinates", r->lon, r->lat));
		json_object_set_new(p, "locations", json_pack("[o]", loc));
		if (r->owner || r->credit) {
			json_t *party = json_pack("{s:s,s:s,s:[s]}", "id", r->credit ? r->credit : r->code, "name",
			                          r->owner ? r->owner : "", "roles", "funder");
			if (r->credit)
				json_object_set_new(party, "identifier",
				                    json_pack("{s:s,s:s,s:s?}", "scheme", "CN-USCC", "id", r->credit,
				                              "legalName", r->owner));
			json_object_set_new(p, "parties", json_pack("[o]", party));
		}
		json_array_append_new(projects, p);
	}
	ledger_release(&l);
	char now[40];
	time_format_iso(time_now_ms(), now, sizeof now);
	return json_pack("{s:s,s:s,s:s,s:{s:s},s:s,s:o}", "uri", "urn:zonegov:projects", "publishedDate", now,
	                 "version", "0.9", "publisher", "name", "zonegov", "license",
	                 "https://creativecommons.org/publicdomain/zero/1.0/", "projects", projects);
}

/* ---- import ------------------------------------------------------------------------ */

struct problems {
	json_t *report;
	int count;
};

static void problem(struct problems *p, int row, int col, const char *field, const char *zh, const char *en)
{
	p->count++;
	if (json_array_size(p->report) >= PROJECTS_REPORT_MAX)
		return;
	char letter[8] = "", cell[24] = "";
	if (col >= 0) {
		sheet_col_name(col, letter, sizeof letter);
		snprintf(cell, sizeof cell, "%s%d", letter, row);
	}
	json_array_append_new(p->report, json_pack("{s:i,s:s?,s:s?,s:s?,s:s,s:s}", "row", row, "column",
	                                           col >= 0 ? letter : NULL, "cell", col >= 0 ? cell : NULL, "field",
	                                           field, "message", zh, "message_en", en));
}

/* A header's name without blanks and without a unit in brackets; *unit: 1 万元, 0 元, -1 none. */
static void header_name(const char *s, char *out, size_t outlen, int *unit)
{
	size_t n = 0;
	*unit = -1;
	for (; *s && n + 1 < outlen; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			continue;
		if (strncmp(s, "\xE3\x80\x80", 3) == 0) { /* U+3000 ideographic space */
			s += 2;
			continue;
		}
		out[n++] = *s;
	}
	out[n] = '\0';
	/* a trailing (…) or （…） */
	char *open = strrchr(out, '(');
	char *fopen_ = strstr(out, "\xEF\xBC\x88"); /* （ */
	if (fopen_ && (!open || fopen_ > open))
		open = fopen_;
	if (open) {
		const char *inner = open + (*open == '(' ? 1 : 3);
		if (strncmp(inner, "万元", strlen("万元")) == 0)
			*unit = 1;
		else if (strncmp(inner, "元", strlen("元")) == 0)
			*unit = 0;
		*open = '\0';
	}
}

struct irow {
	int line; /* 1-based row of the sheet */
	int year;
	const char *code, *name, *industry, *owner, *credit, *leader, *dept;
	int level, stage, new_economy, strategic; /* -1: not given */
	char pstart[11], pend[11];
	char dates[6][11];
	int nbatches, has_batches;
	int batch_no[16], batch_kind[16];
	int64_t total, plan, done, months[12];
	int has_plan, has_done;
	unsigned has_month;
	int64_t id, dept_id; /* from the store */
};

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) ? 29 : d[m - 1];
}

/* A date cell: YYYY-MM-DD (or YYYY/M/D), or an Excel serial number. 0, or -1. */
static int parse_date(const struct sheet_cell *c, char out[11])
{
	int y, m, d;
	if (c->is_num) {
		char *end;
		double v = strtod(c->text, &end);
		/* a time of day (the fraction) is dropped */
		if (*end || v < 1 || v >= 2958466)
			return -1;
		long days = (long)v - 25569; /* serial 25569 = 1970-01-01 (1900 system, after its phantom 29 Feb) */
		/* civil from days (H. Hinnant) */
		long z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
		long doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
		long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
		d = (int)(doy - (153 * mp + 2) / 5 + 1);
		m = (int)(mp < 10 ? mp + 3 : mp - 9);
		y = (int)(yoe + era * 400 + (m <= 2));
	} else {
		char sep1, sep2, extra;
		if (sscanf(c->text, "%4d%c%2d%c%2d%c", &y, &sep1, &m, &sep2, &d, &extra) != 5 || sep1 != sep2 ||
		    (sep1 != '-' && sep1 != '/' && sep1 != '.'))
			return -1;
	}
	if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	char tmp[48];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
	memcpy(out, tmp, 11);
	out[10] = '\0';
	return 0;
}

/* An amount: a decimal number (an optional exponent) in 万元 (wan) or 元, to whole 元.
 * 0; -1 not a number; -2 negative; -3 not whole yuan (元 columns); -4 too large. */
static int parse_money(const char *s, int wan, int64_t *out)
{
	char digits[40];
	int nd = 0, frac = 0, seen_point = 0, any = 0;
	long e = 0;
	const char *p = s;
	if (*p == '-') {
		const char *q = p + 1;
		if ((*q >= '0' && *q <= '9') || *q == '.') {
			/* negative unless it is zero */
			for (; *q; q++)
				if (*q >= '1' && *q <= '9')
					return -2;
		}
		p++;
	} else if (*p == '+')
		p++;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			any = 1;
			if (nd == 0 && *p == '0' && !seen_point)
				continue; /* leading zeros */
			if (nd >= 36)
				return -4;
			digits[nd++] = *p;
			if (seen_point)
				frac++;
		} else if (*p == '.' && !seen_point)
			seen_point = 1;
		else if (*p == ',' && !seen_point && any)
			continue; /* 1,234,567 */
		else
			break;
	}
	if (!any)
		return -1;
	if (*p == 'e' || *p == 'E') {
		char *end;
		errno = 0;
		e = strtol(p + 1, &end, 10);
		if (end == p + 1 || *end || errno || e > 40 || e < -40)
			return -1;
	} else if (*p)
		return -1;
	long shift = e - frac + (wan ? 4 : 0); /* yuan = digits × 10^shift */
	int64_t v = 0;
	int keep = shift >= 0 ? nd : nd + (int)shift; /* digits before the point of the yuan amount */
	for (int i = 0; i < keep && i < nd; i++) {
		if (v > PROJECT_MONEY_MAX)
			return -4;
		v = v * 10 + (digits[i] - '0');
	}
	for (long i = 0; shift > 0 && i < shift; i++) {
		if (v > PROJECT_MONEY_MAX)
			return -4;
		v *= 10;
	}
	if (keep < nd) {
		int first = keep >= 0 ? keep : 0, rest_nonzero = 0;
		for (int i = first; i < nd; i++)
			if (digits[i] != '0')
				rest_nonzero = 1;
		if (rest_nonzero && !wan)
			return -3;
		if (keep >= 0 && digits[keep] >= '5')
			v++; /* half up at the yuan */
	}
	if (v > PROJECT_MONEY_MAX)
		return -4;
	*out = v;
	return 0;
}

static int code_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

struct import_ctx {
	const struct sheet *s;
	int colmap[C__COUNT];
	int wan[C__COUNT];
	struct problems pr;
};

static void bad(struct import_ctx *x, const struct irow *r, int c, const char *zh, const char *en)
{
	problem(&x->pr, r->line, x->colmap[c], COL_NAMES[c], zh, en);
}

static const char *cell_text(struct import_ctx *x, const struct irow *r, int c)
{
	return sheet_text(x->s, r->line - 1, x->colmap[c]);
}

static const char *text_cell(struct import_ctx *x, struct irow *r, int c, int required, size_t max_chars)
{
	const char *t = cell_text(x, r, c);
	if (t && t[0] == '\'' && formula_lead(t + 1))
		t++; /* exported behind a ' so that no spreadsheet runs it (csv_field) */
	if (!t) {
		if (required) {
			char zh[96], en[96];
			snprintf(zh, sizeof zh, "缺少「%s」", COL_NAMES[c]);
			snprintf(en, sizeof en, "%s is required", COL_NAMES[c]);
			bad(x, r, c, zh, en);
		}
		return NULL;
	}
	if (utf8_chars(t) > max_chars || text_has_control(t)) {
		char zh[96], en[96];
		snprintf(zh, sizeof zh, "须为1至%zu个字符,不含控制字符", max_chars);
		snprintf(en, sizeof en, "must be 1 to %zu characters without control characters", max_chars);
		bad(x, r, c, zh, en);
		return NULL;
	}
	return t;
}

static int money_cell(struct import_ctx *x, struct irow *r, int c, int64_t *out)
{
	const struct sheet_cell *cell = x->colmap[c] < 0 ? NULL : sheet_at(x->s, r->line - 1, x->colmap[c]);
	if (!cell)
		return 0;
	int rc = parse_money(cell->text, x->wan[c], out);
	if (rc == 0)
		return 1;
	const char *unit = x->wan[c] ? "万元" : "元";
	char zh[160], en[160];
	if (rc == -1) {
		snprintf(zh, sizeof zh, "「%s」不是数字(%s)", cell->text, unit);
		snprintf(en, sizeof en, "\"%s\" is not a number (%s)", cell->text, x->wan[c] ? "10,000 yuan" : "yuan");
	} else if (rc == -2) {
		snprintf(zh, sizeof zh, "金额不能为负数:%s", cell->text);
		snprintf(en, sizeof en, "a negative amount: %s", cell->text);
	} else if (rc == -3) {
		snprintf(zh, sizeof zh, "金额须为整数元:%s", cell->text);
		snprintf(en, sizeof en, "the amount must be whole yuan: %s", cell->text);
	} else {
		snprintf(zh, sizeof zh, "金额过大:%s", cell->text);
		snprintf(en, sizeof en, "the amount is too large: %s", cell->text);
	}
	bad(x, r, c, zh, en);
	return -1;
}

static int flag_cell(struct import_ctx *x, struct irow *r, int c)
{
	const char *t = cell_text(x, r, c);
	if (!t)
		return -1;
	if (!strcmp(t, "是") || !strcmp(t, "1") || !strcmp(t, "Y") || !strcmp(t, "y") || !strcmp(t, "TRUE") ||
	    !strcmp(t, "true"))
		return 1;
	if (!strcmp(t, "否") || !strcmp(t, "0") || !strcmp(t, "N") || !strcmp(t, "n") || !strcmp(t, "FALSE") ||
	    !strcmp(t, "false"))
		return 0;
	bad(x, r, c, "须为「是」或「否」", "must be 是 (yes) or 否 (no)");
	return -1;
}

static void date_cell(struct import_ctx *x, struct irow *r, int c, char out[11])
{
	out[0] = '\0';
	const struct sheet_cell *cell = x->colmap[c] < 0 ? NULL : sheet_at(x->s, r->line - 1, x->colmap[c]);
	if (cell && parse_date(cell, out)) {
		out[0] = '\0';
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "日期无效:%s(须为 YYYY-MM-DD)", cell->text);
		snprintf(en, sizeof en, "not a date: %s (YYYY-MM-DD)", cell->text);
		bad(x, r, c, zh, en);
	}
}

/* "1期签约、2期开工" (also ; , ， ； or spaces between, and signed/started/production). */
static void batches_cell(struct import_ctx *x, struct irow *r)
{
	const char *t = cell_text(x, r, C_BATCHES);
	if (!t)
		return;
	r->has_batches = 1;
	const char *p = t;
	while (*p) {
		if (*p == ' ' || *p == ',' || *p == ';') {
			p++;
			continue;
		}
		if (!strncmp(p, "、", 3) || !strncmp(p, "，", 3) || !strncmp(p, "；", 3)) {
			p += 3;
			continue;
		}
		if (!strncmp(p, "第", 3))
			p += 3;
		char *end;
		long n = strtol(p, &end, 10);
		int ok = end != p && n >= 1 && n <= 1000;
		p = end;
		if (ok && !strncmp(p, "期", 3))
			p += 3;
		else if (ok && *p == '-')
			p++;
		int k = -1;
		for (int i = 0; ok && i < 3 && k < 0; i++) {
			if (!strncmp(p, KIND_ZH[i], strlen(KIND_ZH[i])))
				k = i, p += strlen(KIND_ZH[i]);
			else if (!strncmp(p, KIND_CODES[i], strlen(KIND_CODES[i])))
				k = i, p += strlen(KIND_CODES[i]);
		}
		if (!ok || k < 0 || r->nbatches >= 16) {
			bad(x, r, C_BATCHES, "批次须写作「1期签约、2期开工」(类型:签约、开工、投产)",
			    "batches are written 1期签约、2期开工 (kinds 签约 signed, 开工 started, 投产 production)");
			r->nbatches = 0;
			return;
		}
		for (int i = 0; i < r->nbatches; i++)
			if (r->batch_no[i] == n && r->batch_kind[i] == k) {
				bad(x, r, C_BATCHES, "同一批次重复", "the same batch twice");
				return;
			}
		r->batch_no[r->nbatches] = (int)n;
		r->batch_kind[r->nbatches++] = k;
	}
}

static int enum_cell(struct import_ctx *x, struct irow *r, int c, const char *const *zh, const char *const *codes,
                     int n, const char *alt_zh, const char *alt_en)
{
	const char *t = cell_text(x, r, c);
	if (!t)
		return -1;
	int k = index_of(t, zh, n);
	if (k < 0)
		k = index_of(t, codes, n);
	if (k < 0)
		bad(x, r, c, alt_zh, alt_en);
	return k;
}

/* Reads and checks one data row (what needs no store). */
static void read_row(struct import_ctx *x, struct irow *r)
{
	const struct sheet_cell *yc = x->colmap[C_YEAR] < 0 ? NULL : sheet_at(x->s, r->line - 1, x->colmap[C_YEAR]);
	char *end;
	long y = yc ? strtol(yc->text, &end, 10) : 0;
	if (!yc)
		bad(x, r, C_YEAR, "缺少「年度」", "年度 (year) is required");
	else if (*end || y < 2000 || y > 2100)
		bad(x, r, C_YEAR, "年度须为2000至2100之间的整数", "the year must be a whole number 2000 to 2100");
	else
		r->year = (int)y;
	r->code = cell_text(x, r, C_CODE);
	if (r->code && !code_ok(r->code)) {
		bad(x, r, C_CODE, "项目编号须为1至32位大写字母、数字或连字符", "code: 1 to 32 of A-Z, 0-9 and -");
		r->code = NULL;
	}
	r->name = text_cell(x, r, C_NAME, 1, 100);
	r->level = enum_cell(x, r, C_LEVEL, LEVEL_ZH, LEVEL_CODES, 4, "级别须为省重点、市重点、区重点或其他",
	                     "level must be 省重点, 市重点, 区重点 or 其他");
	if (r->level < 0 && !cell_text(x, r, C_LEVEL))
		bad(x, r, C_LEVEL, "缺少「级别」", "级别 (level) is required");
	r->industry = text_cell(x, r, C_INDUSTRY, 1, 32);
	r->owner = text_cell(x, r, C_OWNER, 0, 100);
	r->credit = cell_text(x, r, C_CREDIT);
	if (r->credit && !credit_code_valid(r->credit)) {
		char zh[160], en[160];
		snprintf(zh, sizeof zh, "统一社会信用代码无效(校验位不符):%s", r->credit);
		snprintf(en, sizeof en, "not a valid unified social credit code (check character): %s", r->credit);
		bad(x, r, C_CREDIT, zh, en);
	}
	r->leader = text_cell(x, r, C_LEADER, 0, 32);
	r->dept = cell_text(x, r, C_DEPT);
	date_cell(x, r, C_PSTART, r->pstart);
	date_cell(x, r, C_PEND, r->pend);
	if (r->pstart[0] && r->pend[0] && strcmp(r->pend, r->pstart) < 0)
		bad(x, r, C_PEND, "计划竣工日期早于计划开工日期", "planned completion before the planned start");
	r->new_economy = flag_cell(x, r, C_NEWECO);
	r->strategic = flag_cell(x, r, C_STRATEGIC);
	batches_cell(x, r);
	r->stage = enum_cell(x, r, C_STAGE, STAGE_ZH, STAGE_CODES, 6, "阶段须为谋划、签约、开工、在建、投产或达效",
	                     "stage must be 谋划, 签约, 开工, 在建, 投产 or 达效");
	for (int i = 0; i < 4; i++)
		date_cell(x, r, DATE_COLS[i], r->dates[DATE_STAGES[i]]);
	if (!cell_text(x, r, C_TOTAL))
		bad(x, r, C_TOTAL, "缺少「概算总投资」", "概算总投资 (total investment) is required");
	else
		money_cell(x, r, C_TOTAL, &r->total);
	r->has_plan = money_cell(x, r, C_PLAN, &r->plan) == 1;
	r->has_done = money_cell(x, r, C_DONE, &r->done) == 1;
	int64_t sum = 0;
	int month_bad = 0;
	for (int m = 0; m < 12; m++) {
		int k = money_cell(x, r, C_M1 + m, &r->months[m]);
		if (k == 1) {
			r->has_month |= 1u << m;
			sum += r->months[m];
		}
		month_bad |= k < 0;
	}
	if (r->has_done && sum != r->done && !month_bad) {
		/* the sum in the column's unit: 万元 with up to four decimals, or 元 */
		char amount[48], zh[200], en[200];
		if (x->wan[C_DONE]) {
			snprintf(amount, sizeof amount, "%lld.%04lld", (long long)(sum / 10000),
			         (long long)(sum % 10000));
			char *e = amount + strlen(amount);
			while (e[-1] == '0')
				*--e = '\0';
			if (e[-1] == '.')
				e[-1] = '\0';
		} else
			snprintf(amount, sizeof amount, "%lld", (long long)sum);
		snprintf(zh, sizeof zh, "累计完成投资须等于1至12月之和:%s%s", amount, x->wan[C_DONE] ? "万元" : "元");
		snprintf(en, sizeof en, "the completed total must equal the sum of the months: %s %s", amount,
		         x->wan[C_DONE] ? "x 10,000 yuan" : "yuan");
		bad(x, r, C_DONE, zh, en);
	}
}

static const char SQL_IO_DEPT[] = "SELECT id FROM departments WHERE name = ? OR code = ? ORDER BY id LIMIT 1";
static const char SQL_IO_FIND[] = "SELECT id FROM projects WHERE code = ?";
static const char SQL_IO_STAGES[] = "SELECT stage, date FROM project_stages WHERE project_id = ?";

/* Checks a row against the store: department, the project (by code) and its stage dates. 0 or -1 (store). */
static int check_row_store(struct db *db, struct import_ctx *x, struct irow *r)
{
	struct db_stmt *st;
	int rc;
	if (r->dept) {
		st = db_prepare(db, SQL_IO_DEPT);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->dept);
		db_bind_text(st, 2, r->dept);
		rc = db_step(st);
		r->dept_id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
		db_stmt_done(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return -1;
		if (!r->dept_id) {
			char zh[200], en[200];
			snprintf(zh, sizeof zh, "没有这个部门:%s(填写部门名称或代码)", r->dept);
			snprintf(en, sizeof en, "no such department: %s (its name or code)", r->dept);
			bad(x, r, C_DEPT, zh, en);
		}
	}
	char stored[6][11];
	memset(stored, 0, sizeof stored);
	r->id = 0;
	if (r->code) {
		st = db_prepare(db, SQL_IO_FIND);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->code);
		rc = db_step(st);
		r->id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
		db_stmt_done(st);
		if (rc != DB_ROW && rc != DB_DONE)
			return -1;
	}
	if (r->id) {
		st = db_prepare(db, SQL_IO_STAGES);
		if (!st)
			return -1;
		db_bind_i64(st, 1, r->id);
		while ((rc = db_step(st)) == DB_ROW) {
			int k = index_of(db_col_text(st, 0), STAGE_CODES, 6);
			if (k >= 0)
				snprintf(stored[k], 11, "%s", db_col_text(st, 1));
		}
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	/* The dates after the import: the file's over the stored ones. */
	char eff[6][11];
	for (int k = 0; k < 6; k++)
		memcpy(eff[k], r->dates[k][0] ? r->dates[k] : stored[k], 11);
	if (r->stage == 3 && !eff[3][0]) {
		if (!eff[2][0])
			bad(x, r, C_STAGE, "「在建」须填写开工日期", "在建 (building) needs 开工日期 (the start date)");
		else
			memcpy(r->dates[3], eff[2], 11), memcpy(eff[3], eff[2], 11); /* building from the start */
	}
	/* Stage dates in order. */
	for (int i = 0; i < 4; i++) {
		int k = DATE_STAGES[i];
		if (!r->dates[k][0])
			continue;
		for (int j = 0; j < 6; j++) {
			if (!eff[j][0] || j == k)
				continue;
			if ((j < k && strcmp(eff[j], eff[k]) > 0) || (j > k && strcmp(eff[j], eff[k]) < 0)) {
				char zh[200], en[200];
				snprintf(zh, sizeof zh, "%s日期与%s日期(%s)先后顺序不符", STAGE_ZH[k], STAGE_ZH[j],
				         eff[j]);
				snprintf(en, sizeof en, "out of order with the %s date (%s)", STAGE_CODES[j], eff[j]);
				bad(x, r, DATE_COLS[i], zh, en);
				break;
			}
		}
	}
	/* The stage column agrees with the dates. */
	int top = 0;
	for (int k = 0; k < 6; k++)
		if (eff[k][0])
			top = k;
	if (r->stage >= 0 && r->stage != top && r->stage != 0) {
		char zh[200], en[200];
		if (r->stage < top) {
			snprintf(zh, sizeof zh, "项目阶段「%s」早于已有的%s日期(%s)", STAGE_ZH[r->stage], STAGE_ZH[top],
			         eff[top]);
			snprintf(en, sizeof en, "stage %s is behind the %s date (%s)", STAGE_CODES[r->stage],
			         STAGE_CODES[top], eff[top]);
		} else {
			snprintf(zh, sizeof zh, "项目阶段为「%s」,须填写%s日期", STAGE_ZH[r->stage],
			         STAGE_ZH[r->stage]);
			snprintf(en, sizeof en, "stage %s needs its date", STAGE_CODES[r->stage]);
		}
		bad(x, r, C_STAGE, zh, en);
	} else if (r->stage == 0 && top > 0) {
		char zh[200], en[200];
		snprintf(zh, sizeof zh, "项目阶段「谋划」早于已有的%s日期(%s)", STAGE_ZH[top], eff[top]);
		snprintf(en, sizeof en, "stage planning is behind the %s date (%s)", STAGE_CODES[top], eff[top]);
		bad(x, r, C_STAGE, zh, en);
	}
	/* No completion in a month before the start. */
	for (int m = 0; m < 12 && r->year; m++) {
		if (!(r->has_month & (1u << m)) || r->months[m] == 0)
			continue;
		char ym[16];
		snprintf(ym, sizeof ym, "%04d-%02d", r->year, m + 1);
		if (!eff[2][0] || strncmp(ym, eff[2], 7) < 0) {
			char zh[160], en[160];
			if (eff[2][0]) {
				snprintf(zh, sizeof zh, "完成投资的月份早于项目开工(%s)", eff[2]);
				snprintf(en, sizeof en, "a completion dated before the project started (%s)", eff[2]);
			} else {
				snprintf(zh, sizeof zh, "%s", "项目尚未开工(无开工日期),不能填报完成投资");
				snprintf(en, sizeof en, "%s",
				         "the project has not started (no start date): no completion yet");
			}
			bad(x, r, C_M1 + m, zh, en);
		}
	}
	return 0;
}

static const char SQL_IO_INSERT[] =
        "INSERT INTO projects (code, name, level, industry, owner_name, owner_credit_code, leader, department_id,"
        " planned_start, planned_completion, new_economy, strategic_emerging, total_investment, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, 0), coalesce(?, 0), ?, ?, ?) RETURNING id";
static const char SQL_IO_UPDATE[] =
        "UPDATE projects SET name = ?, level = ?, industry = ?, owner_name = coalesce(?, owner_name),"
        " owner_credit_code = coalesce(?, owner_credit_code), leader = coalesce(?, leader),"
        " department_id = coalesce(?, department_id), planned_start = coalesce(?, planned_start),"
        " planned_completion = coalesce(?, planned_completion), new_economy = coalesce(?, new_economy),"
        " strategic_emerging = coalesce(?, strategic_emerging), total_investment = ?, updated_at = ?,"
        " version = version + 1 WHERE id = ?";
static const char SQL_IO_BATCHES_CLEAR[] = "DELETE FROM project_batches WHERE project_id = ?";
static const char SQL_IO_BATCH[] = "INSERT INTO project_batches (project_id, batch, kind) VALUES (?, ?, ?)";
static const char SQL_IO_STAGE[] = "INSERT INTO project_stages (project_id, stage, date) VALUES (?, ?, ?)"
                                   " ON CONFLICT (project_id, stage) DO UPDATE SET date = excluded.date";
static const char SQL_IO_STAGE_NOW[] =
        "UPDATE projects SET stage = coalesce((SELECT stage FROM project_stages WHERE project_id = ? ORDER BY CASE"
        " stage WHEN 'planning' THEN 0 WHEN 'signed' THEN 1 WHEN 'started' THEN 2 WHEN 'building' THEN 3 WHEN"
        " 'production' THEN 4 ELSE 5 END DESC LIMIT 1), 'planning') WHERE id = ?";
static const char SQL_IO_PLAN[] = "INSERT INTO project_plans (project_id, year, planned_investment) VALUES (?, ?, ?)"
                                  " ON CONFLICT (project_id, year) DO UPDATE SET planned_investment ="
                                  " excluded.planned_investment";
static const char SQL_IO_MONTH[] =
        "INSERT INTO project_progress (project_id, year, month, completed_investment, updated_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (project_id, year, month) DO UPDATE SET"
        " completed_investment = excluded.completed_investment, updated_at = excluded.updated_at";

static void bind_opt_flag(struct db_stmt *st, int at, int v)
{
	if (v < 0)
		db_bind_null(st, at);
	else
		db_bind_i64(st, at, v);
}

static int exec_i64s(struct db *db, const char *sql, int64_t a, int64_t b)
{
	struct db_stmt *st = db_prepare(db, sql);
	if (!st)
		return -1;
	db_bind_i64(st, 1, a);
	db_bind_i64(st, 2, b);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int write_row(struct db *db, struct irow *r, int64_t now)
{
	struct db_stmt *st;
	int rc;
	if (!r->id) {
		st = db_prepare(db, SQL_IO_INSERT);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->code);
		db_bind_text(st, 2, r->name);
		db_bind_text(st, 3, LEVEL_CODES[r->level]);
		db_bind_text(st, 4, r->industry);
		db_bind_text(st, 5, r->owner);
		db_bind_text(st, 6, r->credit);
		db_bind_text(st, 7, r->leader);
		if (r->dept_id)
			db_bind_i64(st, 8, r->dept_id);
		else
			db_bind_null(st, 8);
		db_bind_text(st, 9, r->pstart[0] ? r->pstart : NULL);
		db_bind_text(st, 10, r->pend[0] ? r->pend : NULL);
		bind_opt_flag(st, 11, r->new_economy);
		bind_opt_flag(st, 12, r->strategic);
		db_bind_i64(st, 13, r->total);
		db_bind_i64(st, 14, now);
		db_bind_i64(st, 15, now);
		rc = db_step(st);
		r->id = rc == DB_ROW ? db_col_i64(st, 0) : 0;
		if (rc == DB_ROW)
			rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE || !r->id)
			return -1;
	} else {
		st = db_prepare(db, SQL_IO_UPDATE);
		if (!st)
			return -1;
		db_bind_text(st, 1, r->name);
		db_bind_text(st, 2, LEVEL_CODES[r->level]);
		db_bind_text(st, 3, r->industry);
		db_bind_text(st, 4, r->owner);
		db_bind_text(st, 5, r->credit);
		db_bind_text(st, 6, r->leader);
		if (r->dept_id)
			db_bind_i64(st, 7, r->dept_id);
		else
			db_bind_null(st, 7);
		db_bind_text(st, 8, r->pstart[0] ? r->pstart : NULL);
		db_bind_text(st, 9, r->pend[0] ? r->pend : NULL);
		bind_opt_flag(st, 10, r->new_economy);
		bind_opt_flag(st, 11, r->strategic);
		db_bind_i64(st, 12, r->total);
		db_bind_i64(st, 13, now);
		db_bind_i64(st, 14, r->id);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	if (r->has_batches) {
		st = db_prepare(db, SQL_IO_BATCHES_CLEAR);
		if (!st)
			return -1;
		db_bind_i64(st, 1, r->id);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
		for (int i = 0; i < r->nbatches; i++) {
			st = db_prepare(db, SQL_IO_BATCH);
			if (!st)
				return -1;
			db_bind_i64(st, 1, r->id);
			db_bind_i64(st, 2, r->batch_no[i]);
			db_bind_text(st, 3, KIND_CODES[r->batch_kind[i]]);
			rc = db_step(st);
			db_stmt_done(st);
			if (rc != DB_DONE)
				return -1;
		}
	}
	for (int k = 0; k < 6; k++) {
		if (!r->dates[k][0])
			continue;
		st = db_prepare(db, SQL_IO_STAGE);
		if (!st)
			return -1;
		db_bind_i64(st, 1, r->id);
		db_bind_text(st, 2, STAGE_CODES[k]);
		db_bind_text(st, 3, r->dates[k]);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	if (exec_i64s(db, SQL_IO_STAGE_NOW, r->id, r->id))
		return -1;
	if (r->has_plan) {
		st = db_prepare(db, SQL_IO_PLAN);
		if (!st)
			return -1;
		db_bind_i64(st, 1, r->id);
		db_bind_i64(st, 2, r->year);
		db_bind_i64(st, 3, r->plan);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	for (int m = 0; m < 12; m++) {
		if (!(r->has_month & (1u << m)))
			continue;
		st = db_prepare(db, SQL_IO_MONTH);
		if (!st)
			return -1;
		db_bind_i64(st, 1, r->id);
		db_bind_i64(st, 2, r->year);
		db_bind_i64(st, 3, m + 1);
		db_bind_i64(st, 4, r->months[m]);
		db_bind_i64(st, 5, now);
		rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			return -1;
	}
	return 0;
}

static int irow_code_cmp(const void *a, const void *b)
{
	const struct irow *const *x = a, *const *y = b;
	int c = strcmp((*x)->code, (*y)->code);
	return c ? c : ((*x)->line > (*y)->line) - ((*x)->line < (*y)->line);
}

/* Finds the header: the row naming 项目编号 (within the first 10), with a second
 * header row under it when that row has no code; fills colmap. Returns the
 * first data row, or -1 after reporting. */
static int read_header(struct import_ctx *x)
{
	const struct sheet *s = x->s;
	int h = -1, codecol = -1;
	char name[128];
	int unit;
	for (int r = 0; r < s->nrows && r < 10 && h < 0; r++)
		for (size_t i = s->row_start[r]; i < s->row_start[r + 1]; i++) {
			header_name(s->cells[i].text, name, sizeof name, &unit);
			if (strcmp(name, COL_NAMES[C_CODE]) == 0) {
				h = r;
				codecol = s->cells[i].col;
				break;
			}
		}
	if (h < 0) {
		problem(&x->pr, 1, -1, COL_NAMES[C_CODE], "找不到表头:前10行中没有「项目编号」列",
		        "no header: no 项目编号 (code) column in the first 10 rows");
		return -1;
	}
	/* A second header row: no code, and a known column name. */
	int sub = 0;
	if (h + 1 < s->nrows && !sheet_at(s, h + 1, codecol))
		for (size_t i = s->row_start[h + 1]; i < s->row_start[h + 2] && !sub; i++) {
			header_name(s->cells[i].text, name, sizeof name, &unit);
			sub = index_of(name, COL_NAMES, C__COUNT) >= 0 || strcmp(name, "完成年度计划") == 0;
		}
	int maxcol = 0;
	for (int r = h; r <= h + sub; r++)
		for (size_t i = s->row_start[r]; i < s->row_start[r + 1]; i++)
			if (s->cells[i].col + 1 > maxcol)
				maxcol = s->cells[i].col + 1;
	int bad_header = 0;
	for (int c = 0; c < maxcol; c++) {
		const char *t = NULL;
		int at = -1;
		if (sub && (t = sheet_text(s, h + 1, c)))
			at = h + 1;
		else if ((t = sheet_text(s, h, c)))
			at = h;
		else if (h > 0 && (t = sheet_text(s, h - 1, c)))
			at = h - 1;
		if (!t)
			continue;
		header_name(t, name, sizeof name, &unit);
		int k = index_of(name, COL_NAMES, C__COUNT);
		if (k < 0) {
			char *end;
			long m = strtol(name, &end, 10);
			if (end != name && strcmp(end, "月") == 0 && (m < 1 || m > 12)) {
				char zh[160], en[160];
				snprintf(zh, sizeof zh, "月份须为1至12:「%s」", t);
				snprintf(en, sizeof en, "months are 1 to 12: %s", t);
				problem(&x->pr, at + 1, c, name, zh, en);
				bad_header = 1;
			}
			continue; /* other columns are ignored */
		}
		if (x->colmap[k] >= 0) {
			char zh[160], en[160];
			snprintf(zh, sizeof zh, "列「%s」重复", COL_NAMES[k]);
			snprintf(en, sizeof en, "the column %s appears twice", COL_NAMES[k]);
			problem(&x->pr, at + 1, c, COL_NAMES[k], zh, en);
			bad_header = 1;
			continue;
		}
		x->colmap[k] = c;
		x->wan[k] = unit >= 0 ? unit : s->default_wan;
	}
	for (int k = 0; k < C__COUNT; k++)
		if (col_required(k) && x->colmap[k] < 0) {
			char zh[160], en[160];
			snprintf(zh, sizeof zh, "缺少列「%s」", COL_NAMES[k]);
			snprintf(en, sizeof en, "the column %s is missing", COL_NAMES[k]);
			problem(&x->pr, h + 1 + sub, -1, COL_NAMES[k], zh, en);
			bad_header = 1;
		}
	return bad_header ? -1 : h + 1 + sub;
}

/* 1 when the row is the totals row (合计) or has nothing in the template's columns. */
static int skip_row(struct import_ctx *x, int row)
{
	if (sheet_text(x->s, row, x->colmap[C_CODE]))
		return 0;
	int any = 0;
	for (int k = 0; k < C__COUNT; k++) {
		const char *t = sheet_text(x->s, row, x->colmap[k]);
		if (t && (strncmp(t, "合计", strlen("合计")) == 0 || strncmp(t, "总计", strlen("总计")) == 0))
			return 1;
		if (t && k != C_SEQ)
			any = 1;
	}
	return !any;
}

/* Orders the report by row, then column (a whole-row problem after the row's cells), stably. */
struct report_key {
	int row, col;
	size_t at;
	json_t *item;
};

static int report_cmp(const void *a, const void *b)
{
	const struct report_key *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static void sort_report(json_t *report)
{
	size_t n = json_array_size(report);
	struct report_key *k = calloc(n ? n : 1, sizeof *k);
	if (!k)
		return;
	for (size_t i = 0; i < n; i++) {
		json_t *item = json_array_get(report, i);
		const char *letters = json_string_value(json_object_get(item, "column"));
		int col = 0;
		for (const char *p = letters; p && *p; p++)
			col = col * 26 + (*p - 'A' + 1);
		k[i] = (struct report_key){(int)json_integer_value(json_object_get(item, "row")),
		                           letters ? col : INT_MAX, i, json_incref(item)};
	}
	qsort(k, n, sizeof *k, report_cmp);
	json_array_clear(report);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(report, k[i].item);
	free(k);
}

int projects_import(struct db *db, const struct sheet *s, int dry_run, struct projects_import_result *res,
                    struct zerr *err)
{
	memset(res, 0, sizeof *res);
	struct import_ctx x;
	memset(&x, 0, sizeof x);
	x.s = s;
	x.pr.report = json_array();
	res->report = x.pr.report;
	for (int k = 0; k < C__COUNT; k++)
		x.colmap[k] = -1;
	int first = read_header(&x);
	if (first < 0) {
		res->problems = x.pr.count;
		return 1;
	}
	struct irow *rows = calloc((size_t)(s->nrows > first ? s->nrows - first : 1), sizeof *rows);
	if (!rows)
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	int n = 0;
	for (int r = first; r < s->nrows; r++) {
		if (skip_row(&x, r))
			continue;
		if (n >= SHEET_MAX_ROWS) {
			problem(&x.pr, r + 1, -1, NULL, "行数过多,最多10000行", "too many rows: at most 10000");
			break;
		}
		struct irow *ir = &rows[n++];
		ir->line = r + 1;
		ir->level = ir->stage = -1;
		if (!sheet_text(s, r, x.colmap[C_CODE]))
			bad(&x, ir, C_CODE, "缺少「项目编号」", "项目编号 (code) is required");
		read_row(&x, ir);
	}
	res->rows = n;
	/* Codes twice in the file. */
	struct irow **by_code = calloc((size_t)n + 1, sizeof *by_code);
	if (!by_code) {
		free(rows);
		return zerr_set(err, ZE_INTERNAL, NULL, NULL, NULL);
	}
	int nc = 0;
	for (int i = 0; i < n; i++)
		if (rows[i].code)
			by_code[nc++] = &rows[i];
	qsort(by_code, (size_t)nc, sizeof *by_code, irow_code_cmp);
	for (int i = 1; i < nc; i++)
		if (strcmp(by_code[i]->code, by_code[i - 1]->code) == 0) {
			int j = i - 1;
			while (j > 0 && strcmp(by_code[j - 1]->code, by_code[i]->code) == 0)
				j--;
			char zh[160], en[160];
			snprintf(zh, sizeof zh, "项目编号 %s 与第%d行重复", by_code[i]->code, by_code[j]->line);
			snprintf(en, sizeof en, "the code %s is also on row %d", by_code[i]->code, by_code[j]->line);
			bad(&x, by_code[i], C_CODE, zh, en);
		}
	free(by_code);

	int rc = 0;
	if (db_begin(db) != DB_OK) {
		free(rows);
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	for (int i = 0; i < n && !rc; i++)
		rc = check_row_store(db, &x, &rows[i]);
	if (!rc && !x.pr.count) {
		for (int i = 0; i < n; i++) {
			if (rows[i].id)
				res->updated++;
			else
				res->added++;
		}
		int64_t now = time_now_ms();
		for (int i = 0; i < n && !rc && !dry_run; i++)
			rc = write_row(db, &rows[i], now);
		if (!rc && !dry_run && db_commit(db) != DB_OK)
			rc = -1;
		if (rc || dry_run)
			db_rollback(db);
	} else
		db_rollback(db);
	free(rows);
	res->problems = x.pr.count;
	if (rc) {
		res->added = res->updated = 0;
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	}
	if (x.pr.count) {
		sort_report(res->report);
		return 1;
	}
	return 0;
}
