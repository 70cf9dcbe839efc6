/*
 * router.c — route matching; see router.h.
 *
 * Tables are small (tens of routes), so a linear scan over segments is
 * plenty: matching costs a few hundred nanoseconds and allocates nothing.
 */
#include "router.h"

#include <stdio.h>
#include <string.h>

static const char *const method_names[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

unsigned http_method_parse(const char *name)
{
	for (unsigned i = 0; i < sizeof method_names / sizeof method_names[0]; i++)
		if (strcmp(name, method_names[i]) == 0)
			return 1u << i;
	return 0;
}

void http_methods_format(unsigned mask, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < sizeof method_names / sizeof method_names[0]; i++) {
		if (!(mask & (1u << i)))
			continue;
		int n = snprintf(out + used, outlen - used, "%s%s", used ? ", " : "", method_names[i]);
		if (n < 0 || (size_t)n >= outlen - used)
			return;
		used += (size_t)n;
	}
}

/* Matches one pattern; fills params on success. */
static int match_pattern(const char *pat, const char *path, struct route_match *m)
{
	int np = 0;
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return 0;
		pat++, path++;
		const char *pend = strchr(pat, '/'), *send = strchr(path, '/');
		size_t plen = pend ? (size_t)(pend - pat) : strlen(pat);
		size_t slen = send ? (size_t)(send - path) : strlen(path);
		if (plen >= 2 && pat[0] == '{' && pat[plen - 1] == '}') {
			if (slen == 0 || slen >= ROUTER_PARAM_LEN || np >= ROUTER_MAX_PARAMS)
				return 0;
			m->names[np] = pat + 1;
			m->name_lens[np] = plen - 2;
			memcpy(m->values[np], path, slen);
			m->values[np][slen] = '\0';
			np++;
		} else if (plen != slen || memcmp(pat, path, plen) != 0) {
			return 0;
		}
		pat += plen, path += slen;
	}
	if (*pat || *path)
		return 0;
	m->nparams = np;
	return 1;
}

enum router_result router_match(const struct route *table, size_t n, unsigned method, const char *path,
                                struct route_match *m)
{
	memset(m, 0, sizeof *m);
	m->index = -1;
	struct route_match tmp;
	for (size_t i = 0; i < n; i++) {
		memset(&tmp, 0, sizeof tmp);
		if (!match_pattern(table[i].pattern, path, &tmp))
			continue;
		/* HEAD is answered by every GET route. */
		unsigned accepts = table[i].method | (table[i].method == HM_GET ? HM_HEAD : 0);
		if (accepts & method) {
			*m = tmp;
			m->index = (int)i;
			return ROUTER_FOUND;
		}
		m->allowed |= accepts;
	}
	return m->allowed ? ROUTER_METHOD_NOT_ALLOWED : ROUTER_NOT_FOUND;
}

const char *route_param(const struct route_match *m, const char *name)
{
	size_t len = strlen(name);
	for (int i = 0; i < m->nparams; i++)
		if (m->name_lens[i] == len && memcmp(m->names[i], name, len) == 0)
			return m->values[i];
	return NULL;
}
