/*
 * categories.c — the case category catalog; see categories.h for the rules
 * and the contract.
 *
 * One engine serves the CSV import and the single PUT: the rows (text
 * fields, as the file or the JSON body gives them) are checked field by
 * field, then against the catalog as it will be — the store's categories
 * with the rows laid over them — for parents, kinds and 小类; then, inside
 * the same transaction that read the store, written, or nothing is. Each
 * problem names its row's line and the field (CSV column or JSON field).
 *
 * The CSV reader is here rather than libcsv: libcsv (Debian libcsv-dev)
 * reports no line numbers, trims spaces by default and ships no pkg-config
 * file; the import needs the line of every cell.
 */
#include "categories.h"
#include "buf.h"
#include "db.h"
#include "text.h"
#include "timeutil.h"
#include "users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ROWS 10000

const char *const category_csv_columns[CF__COUNT] = {
        "code",         "name",        "parent_code",    "kind",          "handled_by",   "department_code",
        "accept_limit", "accept_unit", "dispatch_limit", "dispatch_unit", "handle_limit", "handle_unit",
        "verify_limit", "verify_unit", "priority",       "auto_accept",   "active",
};

static const char *const json_fields[CF__COUNT] = {
        "code",
        "name",
        "parent_code",
        "kind",
        "handled_by",
        "department",
        "limits.accept.amount",
        "limits.accept.unit",
        "limits.dispatch.amount",
        "limits.dispatch.unit",
        "limits.handle.amount",
        "limits.handle.unit",
        "limits.verify.amount",
        "limits.verify.unit",
        "priority",
        "auto_accept",
        "active",
};

static const char *const stage_names[CAT_NSTAGES] = {"accept", "dispatch", "handle", "verify"};

#define BIT(f) (1u << (f))

/* ---- the CSV reader ------------------------------------------------------ */

void category_csv_init(struct category_csv *r, const char *text, size_t len)
{
	memset(r, 0, sizeof *r);
	r->text = text;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
}

void category_csv_release(struct category_csv *r)
{
	free(r->store);
	r->store = NULL;
	r->store_len = r->store_cap = 0;
}

static int csv_put(struct category_csv *r, char c)
{
	if (r->store_len == r->store_cap) {
		size_t cap = r->store_cap ? r->store_cap * 2 : 256;
		char *p = realloc(r->store, cap);
		if (!p)
			return -1;
		r->store = p;
		r->store_cap = cap;
	}
	r->store[r->store_len++] = c;
	return 0;
}

static int csv_at_eol(const struct category_csv *r)
{
	return r->pos < r->len && (r->text[r->pos] == '\n' || r->text[r->pos] == '\r');
}

/* Consumes one line end: LF, CRLF or a lone CR. */
static void csv_eat_eol(struct category_csv *r)
{
	if (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n')
		r->pos++;
	r->pos++;
	r->line++;
}

/* After a malformed field: go on at the next line. */
static void csv_skip_line(struct category_csv *r)
{
	while (r->pos < r->len && !csv_at_eol(r))
		r->pos++;
	if (r->pos < r->len)
		csv_eat_eol(r);
}

static int csv_fail(struct category_csv *r, const char **err_zh, const char **err_en, int *errline, int line,
                    const char *zh, const char *en, int skip)
{
	*err_zh = zh;
	*err_en = en;
	*errline = line;
	if (skip)
		csv_skip_line(r);
	return -1;
}

int category_csv_read(struct category_csv *r, struct category_csv_record *rec, const char **err_zh, const char **err_en,
                      int *errline)
{
	size_t offs[CATEGORY_CSV_MAX_FIELDS];
	r->store_len = 0;
	rec->nfields = 0;
	while (csv_at_eol(r))
		csv_eat_eol(r);
	if (r->pos >= r->len)
		return 0;
	rec->line = r->line;
	for (;;) {
		int fline = r->line;
		size_t start = r->store_len;
		if (r->pos < r->len && r->text[r->pos] == '"') {
			r->pos++;
			for (;;) {
				if (r->pos >= r->len)
					return csv_fail(r, err_zh, err_en, errline, fline, "引号括起的字段没有结束引号",
					                "a quoted field has no closing quote", 0);
				char c = r->text[r->pos];
				if (c == '"') {
					if (r->pos + 1 < r->len && r->text[r->pos + 1] == '"') {
						if (csv_put(r, '"'))
							goto nomem;
						r->pos += 2;
						continue;
					}
					r->pos++;
					break;
				}
				if (c == '\0')
					return csv_fail(r, err_zh, err_en, errline, r->line, "包含 NUL 字节",
					                "contains a NUL byte", 1);
				if (csv_put(r, c))
					goto nomem;
				r->pos++;
				if (c == '\r' && r->pos < r->len && r->text[r->pos] == '\n') {
					if (csv_put(r, '\n'))
						goto nomem;
					r->pos++;
				}
				if (c == '\r' || c == '\n')
					r->line++;
			}
			if (r->pos < r->len && r->text[r->pos] != ',' && !csv_at_eol(r))
				return csv_fail(r, err_zh, err_en, errline, r->line, "结束引号后须为逗号或行尾",
				                "a closing quote must be followed by a comma or the end of the line",
				                1);
		} else {
			while (r->pos < r->len && r->text[r->pos] != ',' && !csv_at_eol(r)) {
				char c = r->text[r->pos];
				if (c == '"')
					return csv_fail(r, err_zh, err_en, errline, r->line,
					                "未加引号的字段中有引号(整个字段须用引号括起,内部引号写两次)",
					                "a quote inside an unquoted field (quote the whole field and "
					                "double the quote)",
					                1);
				if (c == '\0')
					return csv_fail(r, err_zh, err_en, errline, r->line, "包含 NUL 字节",
					                "contains a NUL byte", 1);
				if (csv_put(r, c))
					goto nomem;
				r->pos++;
			}
		}
		if (csv_put(r, '\0'))
			goto nomem;
		if (rec->nfields < CATEGORY_CSV_MAX_FIELDS) {
			offs[rec->nfields] = start;
			rec->field_len[rec->nfields] = r->store_len - 1 - start;
			rec->field_line[rec->nfields] = fline;
		}
		rec->nfields++;
		if (r->pos < r->len && r->text[r->pos] == ',') {
			r->pos++;
			continue;
		}
		if (r->pos < r->len)
			csv_eat_eol(r);
		break;
	}
	for (int i = 0; i < rec->nfields && i < CATEGORY_CSV_MAX_FIELDS; i++)
		rec->field[i] = r->store + offs[i];
	return rec->nfields;
nomem:
	r->pos = r->len;
	return csv_fail(r, err_zh, err_en, errline, r->line, "内存不足", "out of memory", 0);
}

/* ---- field checks ---------------------------------------------------------- */

void category_input_init(struct category_input *in)
{
	memset(in, 0, sizeof *in);
}

static int valid_code(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n > 16)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || text_has_control(s))
		return 0;
	size_t chars = utf8_chars(s);
	if (chars < 1 || chars > 32)
		return 0;
	/* No surrounding spaces (ASCII or the ideographic space U+3000). */
	if (s[0] == ' ' || s[n - 1] == ' ')
		return 0;
	if ((n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0) || (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0))
		return 0;
	return 1;
}

/* A whole number from lo to hi written in decimal digits only; -1 otherwise. */
static int parse_int(const char *s, int lo, int hi)
{
	long v = 0;
	size_t n = strlen(s);
	if (n == 0 || n > 6)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= lo && v <= hi ? (int)v : -1;
}

static int valid_unit(const char *s)
{
	return strcmp(s, "work_hours") == 0 || strcmp(s, "work_days") == 0 || strcmp(s, "hours") == 0;
}

enum { CHECK_OK = 0, CHECK_INVALID = 1, CHECK_MISSING = 2 };

static int is_optional(int f)
{
	return f == CF_PARENT || f == CF_DEPARTMENT || f == CF_ACTIVE;
}

/* Checks field f with text s (NULL: not given) and stores its value in *c.
 * Returns CHECK_OK, or CHECK_INVALID / CHECK_MISSING with static messages. */
static int check_field(int f, const char *s, struct category *c, const char **zh, const char **en)
{
	if (!s || !*s) {
		if (is_optional(f))
			return CHECK_OK;
		*zh = "缺少必填项";
		*en = "is required";
		return CHECK_MISSING;
	}
	if (!utf8_valid(s, strlen(s))) {
		*zh = "不是有效的 UTF-8 文本";
		*en = "is not valid UTF-8";
		return CHECK_INVALID;
	}
	switch (f) {
	case CF_CODE:
	case CF_PARENT:
		if (!valid_code(s)) {
			*zh = "编码须为2至16位大写字母或数字";
			*en = "must be 2-16 characters of A-Z and 0-9";
			return CHECK_INVALID;
		}
		snprintf(f == CF_CODE ? c->code : c->parent_code, sizeof c->code, "%s", s);
		return CHECK_OK;
	case CF_NAME:
		if (!valid_name(s)) {
			*zh = "名称须为1至32个字符,不含控制字符,首尾不能有空格";
			*en = "must be 1-32 characters without control characters or surrounding spaces";
			return CHECK_INVALID;
		}
		snprintf(c->name, sizeof c->name, "%s", s);
		return CHECK_OK;
	case CF_KIND:
		if (strcmp(s, "event") != 0 && strcmp(s, "component") != 0) {
			*zh = "类型须为 event(事件)或 component(部件)";
			*en = "must be event or component";
			return CHECK_INVALID;
		}
		snprintf(c->kind, sizeof c->kind, "%s", s);
		return CHECK_OK;
	case CF_HANDLED_BY:
		if (strcmp(s, "grid") != 0 && strcmp(s, "department") != 0) {
			*zh = "处置方须为 grid(网格)或 department(部门)";
			*en = "must be grid or department";
			return CHECK_INVALID;
		}
		snprintf(c->handled_by, sizeof c->handled_by, "%s", s);
		return CHECK_OK;
	case CF_DEPARTMENT:
		if (strlen(s) >= sizeof c->department_code) {
			*zh = "部门不存在";
			*en = "no such department";
			return CHECK_INVALID;
		}
		snprintf(c->department_code, sizeof c->department_code, "%s", s);
		return CHECK_OK;
	case CF_ACCEPT_LIMIT:
	case CF_DISPATCH_LIMIT:
	case CF_HANDLE_LIMIT:
	case CF_VERIFY_LIMIT: {
		int v = parse_int(s, 1, CATEGORY_LIMIT_MAX);
		if (v < 0) {
			*zh = "时限须为1至10000的整数";
			*en = "must be a whole number from 1 to 10000";
			return CHECK_INVALID;
		}
		c->limits[(f - CF_ACCEPT_LIMIT) / 2].amount = v;
		return CHECK_OK;
	}
	case CF_ACCEPT_UNIT:
	case CF_DISPATCH_UNIT:
	case CF_HANDLE_UNIT:
	case CF_VERIFY_UNIT:
		if (!valid_unit(s)) {
			*zh = "时限单位须为 work_hours(工作时)、work_days(工作日)或 hours(自然小时)";
			*en = "must be work_hours, work_days or hours";
			return CHECK_INVALID;
		}
		snprintf(c->limits[(f - CF_ACCEPT_UNIT) / 2].unit, sizeof c->limits[0].unit, "%s", s);
		return CHECK_OK;
	case CF_PRIORITY: {
		int v = parse_int(s, 1, 3);
		if (v < 0) {
			*zh = "优先级须为1(紧急)、2(一般)或3(较低)";
			*en = "must be 1 (urgent), 2 (normal) or 3 (low)";
			return CHECK_INVALID;
		}
		c->priority = v;
		return CHECK_OK;
	}
	case CF_AUTO_ACCEPT:
	case CF_ACTIVE: {
		int v = strcmp(s, "0") == 0 ? 0 : strcmp(s, "1") == 0 ? 1 : -1;
		if (v < 0) {
			*zh = "须为0或1";
			*en = "must be 0 or 1";
			return CHECK_INVALID;
		}
		if (f == CF_AUTO_ACCEPT)
			c->auto_accept = v;
		else
			c->active = v;
		return CHECK_OK;
	}
	default:
		return CHECK_OK;
	}
}

/* ---- rows, the catalog as it will be, and the report ---------------------------- */

/* One category as given (a CSV row or a PUT body) and what the checks made of it. */
struct crow {
	int line; /* 0 for a PUT */
	int field_line[CF__COUNT];
	const char *f[CF__COUNT];    /* borrowed from block or the JSON body */
	char *block;                 /* owned copy of a CSV row's fields */
	const char *rec_zh, *rec_en; /* a problem of the whole record (no field checks) */
	char rec_buf_zh[96], rec_buf_en[96];
	struct category c;
	unsigned bad, missing; /* fields with problems */
	const char *fzh[CF__COUNT], *fen[CF__COUNT];
	int dup_line; /* line of an earlier row with the same code */
	int entry;    /* index into the merged catalog, -1 */
};

/* A category of the catalog as it will be: from the store, a row, or both. */
struct centry {
	char code[20];
	struct category old; /* the stored version when stored */
	int stored;
	int row;            /* the row that sets it, or -1 */
	const char *parent; /* merged parent code ("" for a 大类), NULL when unknown */
	const char *kind;   /* merged kind, NULL when unknown */
	int nchildren;
	const char *child;     /* one 小类 */
	const char *odd_child; /* a stored 小类 (not in the rows) of another kind */
	const char *odd_kind;
};

struct dept {
	int64_t id;
	char code[40];
	char name[260];
};

struct sink {
	json_t *report; /* NULL: keep only the first problem */
	int count;
	enum zg_error first_kind;
	const char *first_field;
	char first_zh[256], first_en[256];
};

static void sink_add(struct sink *s, int line, const char *column, int missing, const char *zh, const char *en)
{
	if (s->count == 0) {
		s->first_kind = missing ? ZE_MISSING_FIELD : ZE_INVALID_FIELD;
		s->first_field = column;
		snprintf(s->first_zh, sizeof s->first_zh, "%s", zh);
		snprintf(s->first_en, sizeof s->first_en, "%s", en);
	}
	s->count++;
	if (s->report && json_array_size(s->report) < CATEGORY_REPORT_MAX)
		json_array_append_new(s->report, json_pack("{s:i,s:s?,s:s,s:s}", "line", line, "column", column,
		                                           "message", zh, "message_en", en));
}

static void crow_free_all(struct crow *rows, int n)
{
	for (int i = 0; i < n; i++)
		free(rows[i].block);
	free(rows);
}

/* Runs the field checks of a row (no store needed). */
static void crow_check_fields(struct crow *w)
{
	memset(&w->c, 0, sizeof w->c);
	w->bad = w->missing = 0;
	for (int f = 0; f < CF__COUNT; f++) {
		int rc = check_field(f, w->f[f], &w->c, &w->fzh[f], &w->fen[f]);
		if (rc != CHECK_OK)
			w->bad |= BIT(f);
		if (rc == CHECK_MISSING)
			w->missing |= BIT(f);
	}
	if (!(w->bad & (BIT(CF_HANDLED_BY) | BIT(CF_DEPARTMENT)))) {
		int given = w->c.department_code[0] != '\0';
		if (strcmp(w->c.handled_by, "department") == 0 && !given) {
			w->bad |= BIT(CF_DEPARTMENT);
			w->missing |= BIT(CF_DEPARTMENT);
			w->fzh[CF_DEPARTMENT] = "由部门处置时须指定部门";
			w->fen[CF_DEPARTMENT] = "is required when handled_by is department";
		} else if (strcmp(w->c.handled_by, "grid") == 0 && given) {
			w->bad |= BIT(CF_DEPARTMENT);
			w->fzh[CF_DEPARTMENT] = "由网格处置时不应指定部门";
			w->fen[CF_DEPARTMENT] = "must be empty when handled_by is grid";
		}
	}
}

static int entry_cmp(const void *a, const void *b)
{
	return strcmp(((const struct centry *)a)->code, ((const struct centry *)b)->code);
}

static struct centry *entry_find(struct centry *e, int n, const char *code)
{
	struct centry key;
	snprintf(key.code, sizeof key.code, "%s", code);
	return bsearch(&key, e, (size_t)n, sizeof *e, entry_cmp);
}

struct code_ref {
	const char *code;
	int row;
};

static int code_ref_cmp(const void *a, const void *b)
{
	const struct code_ref *x = a, *y = b;
	int d = strcmp(x->code, y->code);
	return d ? d : x->row - y->row;
}

#define CAT_SELECT                                                                                                     \
	"SELECT c.id, c.code, c.name, c.parent_code, c.kind, c.handled_by, c.department_id, d.code, d.name,"           \
	" c.accept_limit, c.accept_unit, c.dispatch_limit, c.dispatch_unit, c.handle_limit, c.handle_unit,"            \
	" c.verify_limit, c.verify_unit, c.priority, c.auto_accept, c.active, c.created_at, c.updated_at"              \
	" FROM categories c LEFT JOIN departments d ON d.id = c.department_id"

static const char SQL_CAT_ALL[] =
        CAT_SELECT " WHERE ? = 0 OR (c.active = 1 AND (c.parent_code IS NULL OR EXISTS"
                   " (SELECT 1 FROM categories p WHERE p.code = c.parent_code AND p.active = 1)))"
                   " ORDER BY c.code";
static const char SQL_CAT_ONE[] = CAT_SELECT " WHERE c.code = ?";
static const char SQL_DEPTS_ALL[] = "SELECT id, code, name FROM departments";

static void category_from_row(struct db_stmt *st, struct category *c)
{
	memset(c, 0, sizeof *c);
	c->id = db_col_i64(st, 0);
	snprintf(c->code, sizeof c->code, "%s", db_col_text(st, 1));
	snprintf(c->name, sizeof c->name, "%s", db_col_text(st, 2));
	snprintf(c->parent_code, sizeof c->parent_code, "%s", db_col_text(st, 3));
	snprintf(c->kind, sizeof c->kind, "%s", db_col_text(st, 4));
	snprintf(c->handled_by, sizeof c->handled_by, "%s", db_col_text(st, 5));
	c->department_id = db_col_is_null(st, 6) ? 0 : db_col_i64(st, 6);
	snprintf(c->department_code, sizeof c->department_code, "%s", db_col_text(st, 7));
	snprintf(c->department_name, sizeof c->department_name, "%s", db_col_text(st, 8));
	for (int s = 0; s < CAT_NSTAGES; s++) {
		c->limits[s].amount = (int)db_col_i64(st, 9 + 2 * s);
		snprintf(c->limits[s].unit, sizeof c->limits[s].unit, "%s", db_col_text(st, 10 + 2 * s));
	}
	c->priority = (int)db_col_i64(st, 17);
	c->auto_accept = (int)db_col_i64(st, 18);
	c->active = (int)db_col_i64(st, 19);
	c->created_at = db_col_i64(st, 20);
	c->updated_at = db_col_i64(st, 21);
}

int category_get(struct db *db, const char *code, struct category *out)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_ONE);
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	int rc = db_step(st);
	if (rc == DB_ROW)
		category_from_row(st, out);
	db_stmt_done(st);
	return rc == DB_ROW ? 0 : rc == DB_DONE ? 1 : -1;
}

int category_each(struct db *db, int (*fn)(const struct category *c, void *arg), void *arg)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_ALL);
	if (!st)
		return -1;
	db_bind_i64(st, 1, 0);
	struct category c;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		category_from_row(st, &c);
		if (fn(&c, arg)) {
			db_stmt_done(st);
			return -1;
		}
	}
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* Loads the store's categories (sorted by code) with room for n more. */
static int load_entries(struct db *db, int extra, struct centry **out, int *n)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_ALL);
	int cap = extra + 64, len = 0, rc;
	struct centry *e = calloc((size_t)cap, sizeof *e);
	*out = NULL;
	*n = 0;
	if (!st || !e) {
		db_stmt_done(st);
		free(e);
		return -1;
	}
	db_bind_i64(st, 1, 0);
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap - extra) {
			struct centry *p = realloc(e, (size_t)(cap * 2) * sizeof *e);
			if (!p)
				break;
			memset(p + cap, 0, (size_t)cap * sizeof *e);
			e = p;
			cap *= 2;
		}
		category_from_row(st, &e[len].old);
		e[len].stored = 1;
		e[len].row = -1;
		len++;
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		free(e);
		return -1;
	}
	for (int i = 0; i < len; i++)
		memcpy(e[i].code, e[i].old.code, sizeof e[i].code);
	*out = e;
	*n = len;
	return 0;
}

static int load_depts(struct db *db, struct dept **out, int *n)
{
	struct db_stmt *st = db_prepare(db, SQL_DEPTS_ALL);
	int cap = 16, len = 0, rc;
	struct dept *d = malloc((size_t)cap * sizeof *d);
	*out = NULL;
	*n = 0;
	if (!st || !d) {
		db_stmt_done(st);
		free(d);
		return -1;
	}
	while ((rc = db_step(st)) == DB_ROW) {
		if (len == cap) {
			struct dept *p = realloc(d, (size_t)(cap * 2) * sizeof *d);
			if (!p)
				break;
			d = p;
			cap *= 2;
		}
		d[len].id = db_col_i64(st, 0);
		snprintf(d[len].code, sizeof d[len].code, "%s", db_col_text(st, 1));
		snprintf(d[len].name, sizeof d[len].name, "%s", db_col_text(st, 2));
		len++;
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		free(d);
		return -1;
	}
	*out = d;
	*n = len;
	return 0;
}

/* Bits of the fields in which a and b differ (codes are equal). */
static unsigned category_diff(const struct category *a, const struct category *b)
{
	unsigned m = 0;
	if (strcmp(a->name, b->name))
		m |= BIT(CF_NAME);
	if (strcmp(a->parent_code, b->parent_code))
		m |= BIT(CF_PARENT);
	if (strcmp(a->kind, b->kind))
		m |= BIT(CF_KIND);
	if (strcmp(a->handled_by, b->handled_by))
		m |= BIT(CF_HANDLED_BY);
	if (a->department_id != b->department_id)
		m |= BIT(CF_DEPARTMENT);
	for (int s = 0; s < CAT_NSTAGES; s++) {
		if (a->limits[s].amount != b->limits[s].amount)
			m |= BIT(CF_ACCEPT_LIMIT + 2 * s);
		if (strcmp(a->limits[s].unit, b->limits[s].unit))
			m |= BIT(CF_ACCEPT_UNIT + 2 * s);
	}
	if (a->priority != b->priority)
		m |= BIT(CF_PRIORITY);
	if (a->auto_accept != b->auto_accept)
		m |= BIT(CF_AUTO_ACCEPT);
	if (a->active != b->active)
		m |= BIT(CF_ACTIVE);
	return m;
}

static const char SQL_CAT_INSERT[] =
        "INSERT INTO categories (code, name, parent_code, kind, handled_by, department_id, accept_limit, accept_unit,"
        " dispatch_limit, dispatch_unit, handle_limit, handle_unit, verify_limit, verify_unit, priority, auto_accept,"
        " active, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
static const char SQL_CAT_UPDATE[] =
        "UPDATE categories SET name = ?, parent_code = ?, kind = ?, handled_by = ?, department_id = ?,"
        " accept_limit = ?, accept_unit = ?, dispatch_limit = ?, dispatch_unit = ?, handle_limit = ?, handle_unit = ?,"
        " verify_limit = ?, verify_unit = ?, priority = ?, auto_accept = ?, active = ?, updated_at = ? WHERE code = ?";
static const char SQL_CAT_IMPORT_ROW[] = "INSERT INTO imports (at, actor, kind, source, added, updated, unchanged)"
                                         " VALUES (?, ?, 'categories', ?, ?, ?, ?)";

/* Binds name .. active of c from parameter idx on; returns the next index. */
static int bind_fields(struct db_stmt *st, int idx, const struct category *c)
{
	db_bind_text(st, idx++, c->name);
	db_bind_text(st, idx++, c->parent_code[0] ? c->parent_code : NULL);
	db_bind_text(st, idx++, c->kind);
	db_bind_text(st, idx++, c->handled_by);
	if (c->department_id > 0)
		db_bind_i64(st, idx++, c->department_id);
	else
		db_bind_null(st, idx++);
	for (int s = 0; s < CAT_NSTAGES; s++) {
		db_bind_i64(st, idx++, c->limits[s].amount);
		db_bind_text(st, idx++, c->limits[s].unit);
	}
	db_bind_i64(st, idx++, c->priority);
	db_bind_i64(st, idx++, c->auto_accept);
	db_bind_i64(st, idx++, c->active);
	return idx;
}

static int write_insert(struct db *db, const struct category *c, int64_t now)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_INSERT);
	if (!st)
		return -1;
	db_bind_text(st, 1, c->code);
	int idx = bind_fields(st, 2, c);
	db_bind_i64(st, idx++, now);
	db_bind_i64(st, idx, now);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

static int write_update(struct db *db, const struct category *c, int64_t now)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_UPDATE);
	if (!st)
		return -1;
	int idx = bind_fields(st, 1, c);
	db_bind_i64(st, idx++, now);
	db_bind_text(st, idx, c->code);
	int rc = db_step(st);
	db_stmt_done(st);
	return rc == DB_DONE ? 0 : -1;
}

/* How the engine is run and what it reports back. */
struct run {
	const char *const *names; /* field names for the report: CSV columns or JSON fields */
	int write;                /* 0: check only (dry run) */
	int is_import;            /* write an imports row */
	const char *actor, *source;
	struct sink sink;
	int added, updated, unchanged;
	unsigned changed; /* PUT: fields changed (audit detail) */
};

/* Relations of row w with the catalog as it will be; reports problems.
 * Checks that need w's own entry (its 小类) are skipped without one. */
static void check_relations(struct crow *w, struct centry *e, int ne, const struct dept *d, int nd, struct run *run)
{
	char zh[256], en[256];
	const char *const *nm = run->names;
	struct centry *me = w->entry >= 0 ? &e[w->entry] : NULL;
	if (!(w->bad & BIT(CF_PARENT)) && w->c.parent_code[0]) {
		const char *p = w->c.parent_code;
		struct centry *pe = entry_find(e, ne, p);
		int line = w->field_line[CF_PARENT];
		if (!(w->bad & BIT(CF_CODE)) && strcmp(p, w->c.code) == 0) {
			sink_add(&run->sink, line, nm[CF_PARENT], 0, "不能以自身为上级",
			         "cannot be the category's own code");
		} else if (!pe) {
			snprintf(zh, sizeof zh, "上级类别 %s 不存在(文件和库中均没有)", p);
			snprintf(en, sizeof en, "no category %s in the file or the store", p);
			sink_add(&run->sink, line, nm[CF_PARENT], 0, zh, en);
		} else if (pe->parent && pe->parent[0]) {
			snprintf(zh, sizeof zh, "%s 是小类,上级须为大类", p);
			snprintf(en, sizeof en,
			         "%s is a subcategory (it has a parent); the parent must be a top-level category", p);
			sink_add(&run->sink, line, nm[CF_PARENT], 0, zh, en);
		} else if (!(w->bad & BIT(CF_KIND)) && pe->kind && strcmp(pe->kind, w->c.kind) != 0) {
			snprintf(zh, sizeof zh, "上级 %s 的类型是 %s,小类须与大类类型相同", p, pe->kind);
			snprintf(en, sizeof en, "parent %s is of kind %s; a subcategory must be of its parent's kind",
			         p, pe->kind);
			sink_add(&run->sink, line, nm[CF_PARENT], 0, zh, en);
		}
		if (me && me->nchildren > 0) {
			snprintf(zh, sizeof zh, "%s 下有小类(如 %s),不能再作为小类", w->c.code, me->child);
			snprintf(en, sizeof en, "%s has subcategories (e.g. %s) and cannot become a subcategory itself",
			         w->c.code, me->child);
			sink_add(&run->sink, line, nm[CF_PARENT], 0, zh, en);
		}
	}
	if (me && !(w->bad & (BIT(CF_KIND) | BIT(CF_PARENT))) && !w->c.parent_code[0] && me->odd_child) {
		snprintf(zh, sizeof zh, "已有小类 %s 的类型是 %s,大类与其小类须为同一类型", me->odd_child,
		         me->odd_kind);
		snprintf(
		        en, sizeof en,
		        "the stored subcategory %s is of kind %s; a category and its subcategories must be of one kind",
		        me->odd_child, me->odd_kind);
		sink_add(&run->sink, w->field_line[CF_KIND], nm[CF_KIND], 0, zh, en);
	}
	if (!(w->bad & (BIT(CF_DEPARTMENT) | BIT(CF_HANDLED_BY))) && w->c.department_code[0]) {
		const struct dept *hit = NULL;
		for (int i = 0; i < nd && !hit; i++)
			if (strcmp(d[i].code, w->c.department_code) == 0)
				hit = &d[i];
		if (!hit) {
			snprintf(zh, sizeof zh, "部门 %s 不存在", w->c.department_code);
			snprintf(en, sizeof en, "no department %s", w->c.department_code);
			sink_add(&run->sink, w->field_line[CF_DEPARTMENT], nm[CF_DEPARTMENT], 0, zh, en);
		} else {
			w->c.department_id = hit->id;
			snprintf(w->c.department_name, sizeof w->c.department_name, "%s", hit->name);
		}
	}
}

/*
 * Checks rows (field checks done) against the store and writes them when
 * all is well and run->write. Returns 0, 1 (problems in run->sink) or -1
 * (store error, err filled). Takes the write lock first, so the store read
 * for the checks is the one written to.
 */
static int engine(struct db *db, struct crow *rows, int nrows, struct run *run, struct zerr *err)
{
	struct centry *e = NULL;
	struct dept *d = NULL;
	int ne = 0, nd = 0, ret = -1;
	if (db_begin(db) != DB_OK)
		return zerr_set(err, ZE_STORE, NULL, NULL, NULL);
	if (load_entries(db, nrows, &e, &ne) || load_depts(db, &d, &nd))
		goto store_error;

	/* Lay the rows over the stored catalog; a code's first row owns it. */
	struct code_ref *refs = malloc((size_t)(nrows ? nrows : 1) * sizeof *refs);
	int nrefs = 0, stored = ne;
	if (!refs)
		goto store_error;
	for (int i = 0; i < nrows; i++) {
		rows[i].entry = -1;
		if (!rows[i].rec_en && !(rows[i].bad & BIT(CF_CODE)))
			refs[nrefs++] = (struct code_ref){rows[i].c.code, i};
	}
	qsort(refs, (size_t)nrefs, sizeof *refs, code_ref_cmp);
	for (int k = 0; k < nrefs; k++) {
		struct crow *w = &rows[refs[k].row];
		if (k > 0 && strcmp(refs[k - 1].code, refs[k].code) == 0) {
			int first = k - 1;
			while (first > 0 && strcmp(refs[first - 1].code, refs[k].code) == 0)
				first--;
			w->dup_line = rows[refs[first].row].field_line[CF_CODE];
			continue;
		}
		struct centry *hit = entry_find(e, stored, w->c.code);
		if (!hit) {
			hit = &e[ne++];
			memcpy(hit->code, w->c.code, sizeof hit->code);
		}
		hit->row = refs[k].row;
	}
	free(refs);
	qsort(e, (size_t)ne, sizeof *e, entry_cmp);
	for (int j = 0; j < ne; j++) {
		struct centry *x = &e[j];
		if (x->row >= 0) {
			struct crow *w = &rows[x->row];
			w->entry = j;
			x->parent = w->bad & BIT(CF_PARENT) ? NULL : w->c.parent_code;
			x->kind = w->bad & BIT(CF_KIND) ? NULL : w->c.kind;
		} else {
			x->parent = x->old.parent_code;
			x->kind = x->old.kind;
		}
	}
	for (int j = 0; j < ne; j++) {
		struct centry *x = &e[j], *p;
		if (!x->parent || !x->parent[0] || strcmp(x->parent, x->code) == 0 ||
		    !(p = entry_find(e, ne, x->parent)))
			continue;
		p->nchildren++;
		if (!p->child)
			p->child = x->code;
		if (x->row < 0 && p->kind && x->kind && strcmp(p->kind, x->kind) != 0 && !p->odd_child) {
			p->odd_child = x->code;
			p->odd_kind = x->kind;
		}
	}

	/* Report, row by row in order. */
	for (int i = 0; i < nrows; i++) {
		struct crow *w = &rows[i];
		if (w->rec_en) {
			sink_add(&run->sink, w->line, NULL, 0, w->rec_zh, w->rec_en);
			continue;
		}
		for (int f = 0; f < CF__COUNT; f++)
			if (w->bad & BIT(f))
				sink_add(&run->sink, w->field_line[f], run->names[f], (w->missing & BIT(f)) != 0,
				         w->fzh[f], w->fen[f]);
		if (w->dup_line) {
			char zh[96], en[96];
			snprintf(zh, sizeof zh, "编码与第 %d 行重复", w->dup_line);
			snprintf(en, sizeof en, "duplicate code: line %d has it too", w->dup_line);
			sink_add(&run->sink, w->field_line[CF_CODE], run->names[CF_CODE], 0, zh, en);
		}
		if (!w->dup_line)
			check_relations(w, e, ne, d, nd, run);
	}
	if (run->sink.count) {
		ret = 1;
		goto rollback;
	}

	/* Write (or count, for a dry run). */
	int64_t now = time_now_ms();
	for (int i = 0; i < nrows; i++) {
		struct crow *w = &rows[i];
		if (w->entry < 0)
			continue;
		struct centry *x = &e[w->entry];
		struct category *c = &w->c;
		if (!w->f[CF_ACTIVE] || !*w->f[CF_ACTIVE])
			c->active = x->stored ? x->old.active : 1;
		if (x->stored) {
			unsigned m = category_diff(&x->old, c);
			run->changed |= m;
			if (!m) {
				run->unchanged++;
				continue;
			}
			run->updated++;
			if (run->write && write_update(db, c, now))
				goto store_error;
		} else {
			run->added++;
			if (run->write && write_insert(db, c, now))
				goto store_error;
		}
	}
	if (!run->write) {
		ret = 0;
		goto rollback;
	}
	char detail[160];
	if (run->is_import) {
		struct db_stmt *st = db_prepare(db, SQL_CAT_IMPORT_ROW);
		if (!st)
			goto store_error;
		db_bind_i64(st, 1, now);
		db_bind_text(st, 2, run->actor);
		db_bind_text(st, 3, run->source);
		db_bind_i64(st, 4, run->added);
		db_bind_i64(st, 5, run->updated);
		db_bind_i64(st, 6, run->unchanged);
		int rc = db_step(st);
		db_stmt_done(st);
		if (rc != DB_DONE)
			goto store_error;
		snprintf(detail, sizeof detail, "source=%s added=%d updated=%d unchanged=%d", run->source, run->added,
		         run->updated, run->unchanged);
		if (audit_write(db, run->actor, "category.import", run->source, detail))
			goto store_error;
	} else if (nrows == 1) {
		struct buf b;
		buf_init(&b, sizeof detail - 1);
		if (run->added)
			buf_puts(&b, "created");
		else if (!run->changed)
			buf_puts(&b, "no change");
		for (int f = 0; f < CF__COUNT; f++)
			if (run->changed & BIT(f))
				buf_printf(&b, "%s%s", b.len ? " " : "", category_csv_columns[f]);
		snprintf(detail, sizeof detail, "%s", buf_cstr(&b));
		buf_release(&b);
		if (audit_write(db, run->actor, run->added ? "category.create" : "category.update", rows[0].c.code,
		                detail))
			goto store_error;
	}
	if (db_commit(db) != DB_OK) {
		ret = zerr_set(err, ZE_STORE, NULL, NULL, NULL);
		goto out;
	}
	ret = 0;
	goto out;
store_error:
	ret = zerr_set(err, ZE_STORE, NULL, NULL, NULL);
rollback:
	db_rollback(db);
out:
	free(e);
	free(d);
	return ret;
}

/* ---- import ------------------------------------------------------------------ */

static int crow_append(struct crow **rows, int *n, int *cap)
{
	if (*n == *cap) {
		int ncap = *cap ? *cap * 2 : 64;
		struct crow *p = realloc(*rows, (size_t)ncap * sizeof *p);
		if (!p)
			return -1;
		*rows = p;
		*cap = ncap;
	}
	memset(&(*rows)[*n], 0, sizeof **rows);
	(*rows)[*n].entry = -1;
	(*n)++;
	return 0;
}

static void crow_record_problem(struct crow *w, int line, const char *zh, const char *en)
{
	w->line = line;
	snprintf(w->rec_buf_zh, sizeof w->rec_buf_zh, "%s", zh);
	snprintf(w->rec_buf_en, sizeof w->rec_buf_en, "%s", en);
	w->rec_zh = w->rec_buf_zh;
	w->rec_en = w->rec_buf_en;
}

/* Reads the header into colmap (column index → field, -1 never). Returns 0 or 1 (problems reported). */
static int read_header(struct category_csv *r, int *colmap, int *ncols, struct sink *s)
{
	struct category_csv_record rec;
	const char *ezh, *een;
	int eline, seen[CF__COUNT], n = category_csv_read(r, &rec, &ezh, &een, &eline);
	char zh[160], en[160];
	if (n < 0) {
		sink_add(s, eline, NULL, 0, ezh, een);
		return 1;
	}
	if (n == 0) {
		sink_add(s, 1, NULL, 0, "文件为空,第一行须为列名",
		         "the file is empty: the first line must name the columns");
		return 1;
	}
	if (n > CATEGORY_CSV_MAX_FIELDS) {
		snprintf(en, sizeof en, "the header has %d columns; at most %d are allowed", n,
		         CATEGORY_CSV_MAX_FIELDS);
		snprintf(zh, sizeof zh, "表头有 %d 列,最多 %d 列", n, CATEGORY_CSV_MAX_FIELDS);
		sink_add(s, rec.line, NULL, 0, zh, en);
		return 1;
	}
	int before = s->count;
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < n; i++) {
		int f = -1;
		for (int k = 0; k < CF__COUNT && f < 0; k++)
			if (strcmp(rec.field[i], category_csv_columns[k]) == 0)
				f = k;
		colmap[i] = f;
		if (f < 0) {
			snprintf(zh, sizeof zh, "未知的列 \"%.60s\"", rec.field[i]);
			snprintf(en, sizeof en, "unknown column \"%.60s\"", rec.field[i]);
			sink_add(s, rec.line, NULL, 0, zh, en);
		} else if (seen[f]++) {
			sink_add(s, rec.line, category_csv_columns[f], 0, "表头中出现两次",
			         "appears twice in the header");
		}
	}
	for (int k = 0; k < CF__COUNT; k++)
		if (!seen[k] && k != CF_ACTIVE)
			sink_add(s, rec.line, category_csv_columns[k], 1, "表头中缺少此列",
			         "is missing from the header");
	*ncols = n;
	return s->count > before;
}

/* Reads the data rows. Returns 0, or -1 when out of memory. */
static int read_rows(struct category_csv *r, const int *colmap, int ncols, struct crow **rows, int *nrows,
                     struct sink *s)
{
	int cap = 0;
	struct category_csv_record rec;
	const char *ezh, *een;
	int eline, n;
	*rows = NULL;
	*nrows = 0;
	while ((n = category_csv_read(r, &rec, &ezh, &een, &eline)) != 0) {
		if (*nrows >= MAX_ROWS) {
			char zh[96], en[96];
			snprintf(zh, sizeof zh, "行数过多,最多 %d 行", MAX_ROWS);
			snprintf(en, sizeof en, "too many rows: at most %d", MAX_ROWS);
			sink_add(s, n < 0 ? eline : rec.line, NULL, 0, zh, en);
			break;
		}
		if (crow_append(rows, nrows, &cap))
			return -1;
		struct crow *w = &(*rows)[*nrows - 1];
		if (n < 0) {
			crow_record_problem(w, eline, ezh, een);
			continue;
		}
		w->line = rec.line;
		if (n != ncols) {
			char zh[96], en[96];
			snprintf(zh, sizeof zh, "应有 %d 个字段,实有 %d 个", ncols, n);
			snprintf(en, sizeof en, "expected %d fields, found %d", ncols, n);
			crow_record_problem(w, rec.line, zh, en);
			continue;
		}
		size_t total = 0;
		for (int i = 0; i < n; i++)
			total += rec.field_len[i] + 1;
		w->block = malloc(total);
		if (!w->block)
			return -1;
		size_t off = 0;
		for (int i = 0; i < n; i++) {
			memcpy(w->block + off, rec.field[i], rec.field_len[i] + 1);
			if (colmap[i] >= 0) {
				w->f[colmap[i]] = w->block + off;
				w->field_line[colmap[i]] = rec.field_line[i];
			}
			off += rec.field_len[i] + 1;
		}
		for (int f = 0; f < CF__COUNT; f++)
			if (!w->field_line[f])
				w->field_line[f] = rec.line;
		crow_check_fields(w);
	}
	return 0;
}

int category_import_csv(struct db *db, const char *text, size_t len, const struct category_import_options *o,
                        struct category_import_result *res, struct zerr *err)
{
	struct category_csv r;
	struct crow *rows = NULL;
	int nrows = 0, colmap[CATEGORY_CSV_MAX_FIELDS], ncols = 0, ret;
	struct run run;
	memset(res, 0, sizeof *res);
	memset(&run, 0, sizeof run);
	res->report = json_array();
	run.sink.report = res->report;
	run.names = category_csv_columns;
	run.write = !o->dry_run;
	run.is_import = 1;
	run.actor = o->actor ? o->actor : "?";
	run.source = o->source ? o->source : "?";
	category_csv_init(&r, text ? text : "", text ? len : 0);
	if (read_header(&r, colmap, &ncols, &run.sink)) {
		ret = 1;
		goto out;
	}
	if (read_rows(&r, colmap, ncols, &rows, &nrows, &run.sink)) {
		ret = zerr_set(err, ZE_INTERNAL, NULL, NULL, "out of memory");
		goto out;
	}
	res->rows = nrows;
	if (run.sink.count) {
		/* Too many rows: report the rows read so far without touching the store. */
		ret = 1;
		goto out;
	}
	ret = engine(db, rows, nrows, &run, err);
	res->added = run.added;
	res->updated = run.updated;
	res->unchanged = run.unchanged;
out:
	res->problems = run.sink.count;
	crow_free_all(rows, nrows);
	category_csv_release(&r);
	return ret;
}

void category_import_print(const struct category_import_result *res, const char *file, void *fp)
{
	FILE *f = fp;
	size_t i;
	json_t *p;
	json_array_foreach (res->report, i, p) {
		const char *column = json_string_value(json_object_get(p, "column"));
		fprintf(f, "%s:%lld: ", file, (long long)json_integer_value(json_object_get(p, "line")));
		if (column)
			fprintf(f, "column %s: ", column);
		fprintf(f, "%s\n", json_string_value(json_object_get(p, "message_en")));
	}
	if (res->problems > (int)json_array_size(res->report))
		fprintf(f, "%s: ... and %d more problem(s) not shown\n", file,
		        res->problems - (int)json_array_size(res->report));
}

int category_import_default(struct db *db, const char *actor, struct zerr *err)
{
	struct category_import_options o = {0, actor, "default"};
	struct category_import_result res;
	int rc = category_import_csv(db, category_default_csv, category_default_csv_len, &o, &res, err);
	if (rc == 1) {
		json_t *p = json_array_get(res.report, 0);
		char en[256];
		snprintf(en, sizeof en, "default category catalog, line %lld: %s %s",
		         (long long)json_integer_value(json_object_get(p, "line")),
		         json_string_value(json_object_get(p, "column"))
		                 ? json_string_value(json_object_get(p, "column"))
		                 : "",
		         json_string_value(json_object_get(p, "message_en")));
		rc = zerr_set(err, ZE_INTERNAL, NULL, "内置类别目录有误", en);
	}
	json_decref(res.report);
	return rc;
}

/* ---- PUT ----------------------------------------------------------------------- */

static int json_text(json_t *v, const char *field, const char **out, struct zerr *err)
{
	if (!v)
		return 0;
	if (json_is_null(v)) {
		*out = "";
		return 0;
	}
	if (!json_is_string(v))
		return zerr_set(err, ZE_INVALID_FIELD, field, "必须是字符串", "must be a string");
	*out = json_string_value(v);
	return 0;
}

static int json_number(json_t *v, const char *field, char *buf, size_t len, const char **out, struct zerr *err)
{
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_integer(v))
		return zerr_set(err, ZE_INVALID_FIELD, field, "必须是整数", "must be an integer");
	snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	*out = buf;
	return 0;
}

static int json_flag(json_t *v, const char *field, const char **out, struct zerr *err)
{
	if (!v || json_is_null(v))
		return 0;
	if (json_is_boolean(v))
		*out = json_is_true(v) ? "1" : "0";
	else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
		*out = json_integer_value(v) ? "1" : "0";
	else
		return zerr_set(err, ZE_INVALID_FIELD, field, "必须是布尔值", "must be true or false");
	return 0;
}

int category_input_from_json(json_t *obj, struct category_input *in, struct zerr *err)
{
	static const int text_fields[] = {CF_CODE, CF_NAME, CF_PARENT, CF_KIND, CF_HANDLED_BY};
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		int f = text_fields[i];
		if (json_text(json_object_get(obj, json_fields[f]), json_fields[f], &in->f[f], err))
			return -1;
	}
	json_t *dept = json_object_get(obj, "department");
	if (json_is_object(dept))
		dept = json_object_get(dept, "code");
	if (json_text(dept, "department", &in->f[CF_DEPARTMENT], err))
		return -1;
	json_t *limits = json_object_get(obj, "limits");
	if (limits && !json_is_null(limits)) {
		if (!json_is_object(limits))
			return zerr_set(err, ZE_INVALID_FIELD, "limits", "必须是对象", "must be an object");
		for (int s = 0; s < CAT_NSTAGES; s++) {
			int fa = CF_ACCEPT_LIMIT + 2 * s, fu = CF_ACCEPT_UNIT + 2 * s;
			json_t *st = json_object_get(limits, stage_names[s]);
			if (!st || json_is_null(st))
				continue;
			if (!json_is_object(st)) {
				static const char *const stage_fields[CAT_NSTAGES] = {
				        "limits.accept", "limits.dispatch", "limits.handle", "limits.verify"};
				return zerr_set(err, ZE_INVALID_FIELD, stage_fields[s], "须为 {amount, unit} 对象",
				                "must be an object {amount, unit}");
			}
			if (json_number(json_object_get(st, "amount"), json_fields[fa], in->num[fa], sizeof in->num[fa],
			                &in->f[fa], err) ||
			    json_text(json_object_get(st, "unit"), json_fields[fu], &in->f[fu], err))
				return -1;
		}
	}
	if (json_number(json_object_get(obj, "priority"), "priority", in->num[CF_PRIORITY], sizeof in->num[0],
	                &in->f[CF_PRIORITY], err) ||
	    json_flag(json_object_get(obj, "auto_accept"), "auto_accept", &in->f[CF_AUTO_ACCEPT], err) ||
	    json_flag(json_object_get(obj, "active"), "active", &in->f[CF_ACTIVE], err))
		return -1;
	return 0;
}

int category_put(struct db *db, const char *code, const struct category_input *in, const char *actor,
                 struct category *out, int *created, struct zerr *err)
{
	struct crow w;
	struct run run;
	memset(&w, 0, sizeof w);
	memset(&run, 0, sizeof run);
	*created = 0;
	if (in->f[CF_CODE] && *in->f[CF_CODE] && strcmp(in->f[CF_CODE], code) != 0)
		return zerr_set(err, ZE_INVALID_FIELD, "code", "请求体中的编码须与路径中的一致",
		                "must equal the code in the path");
	memcpy(w.f, in->f, sizeof w.f);
	w.f[CF_CODE] = code;
	if (!w.f[CF_PRIORITY])
		w.f[CF_PRIORITY] = "2";
	if (!w.f[CF_AUTO_ACCEPT])
		w.f[CF_AUTO_ACCEPT] = "0";
	w.entry = -1;
	crow_check_fields(&w);
	run.names = json_fields;
	run.write = 1;
	run.actor = actor;
	run.source = "api";
	int rc = engine(db, &w, 1, &run, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return zerr_set(err, run.sink.first_kind, run.sink.first_field, run.sink.first_zh, run.sink.first_en);
	*created = run.added > 0;
	return category_get(db, code, out) == 0 ? 0 : zerr_set(err, ZE_STORE, NULL, NULL, NULL);
}

/* ---- JSON ---------------------------------------------------------------------- */

json_t *category_to_json(const struct category *c, int public_view)
{
	json_t *limits = json_object();
	for (int s = 0; s < CAT_NSTAGES; s++)
		json_object_set_new(limits, stage_names[s],
		                    json_pack("{s:i,s:s}", "amount", c->limits[s].amount, "unit", c->limits[s].unit));
	json_t *dept = json_null();
	if (c->department_id > 0) {
		dept = public_view ? json_pack("{s:s,s:s}", "code", c->department_code, "name", c->department_name)
		                   : json_pack("{s:I,s:s,s:s}", "id", (json_int_t)c->department_id, "code",
		                               c->department_code, "name", c->department_name);
	}
	json_t *o = json_pack("{s:s,s:s,s:o,s:s,s:s,s:o,s:o,s:i,s:b}", "code", c->code, "name", c->name, "parent_code",
	                      c->parent_code[0] ? json_string(c->parent_code) : json_null(), "kind", c->kind,
	                      "handled_by", c->handled_by, "department", dept, "limits", limits, "priority",
	                      c->priority, "active", c->active);
	if (o && !public_view)
		json_object_set_new(o, "auto_accept", json_boolean(c->auto_accept));
	return o;
}

json_t *category_list_json(struct db *db, int public_view)
{
	struct db_stmt *st = db_prepare(db, SQL_CAT_ALL);
	if (!st)
		return NULL;
	db_bind_i64(st, 1, public_view ? 1 : 0);
	json_t *items = json_array();
	struct category c;
	int rc;
	while ((rc = db_step(st)) == DB_ROW) {
		category_from_row(st, &c);
		json_array_append_new(items, category_to_json(&c, public_view));
	}
	db_stmt_done(st);
	if (rc != DB_DONE) {
		json_decref(items);
		return NULL;
	}
	return items;
}
