#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* The models an endpoint offers, for `autokaggle models`. */

void
llm_models_add(llm_model **out, size_t *n, const char *id, long context)
{
	if (!id || !*id)
		return;
	*out = xrealloc(*out, (*n + 1) * sizeof **out);
	(*out)[*n].id = xstrdup(id);
	(*out)[*n].context = context > 0 ? context : 0;
	(*n)++;
}

static int
llm_models_reply(const llm_config *cfg, const http_response *r, llm_model **out, size_t *n, ak_err *e)
{
	cJSON *j;
	int rc;

	if (r->status < 200 || r->status >= 300) {
		llm_error_from_reply(cfg, r->status, r->body, e, NULL);
		return -1;
	}
	j = cJSON_Parse(r->body);
	rc = j ? cfg->provider->models_parse(j, out, n) : -1;
	cJSON_Delete(j);
	if (rc < 0) {
		char *where = http_url_for_message(cfg->base_url);

		err_kind_set(e, ERR_SERVER, "%s at %s answered the model list with something else than its JSON: "
			     "is the base URL that of a %s server?", cfg->provider->label, where, cfg->provider->label);
		free(where);
	}
	return rc;
}

int
llm_models_list(loop *l, const llm_config *cfg, llm_model **out, size_t *n, ak_err *e)
{
	llm_http req = { 0 };
	http_request rq = { 0 };
	http_response r;
	int rc;

	*out = NULL;
	*n = 0;
	cfg->provider->models(cfg, &req);
	rq.method = "GET";
	rq.url = req.url;
	rq.headers = (const char *const *)req.headers;
	rq.connect_timeout_ms = cfg->connect_timeout_ms;
	rq.first_byte_timeout_ms = cfg->first_byte_timeout_ms;
	rq.idle_timeout_ms = cfg->idle_timeout_ms;
	rq.max_retries = cfg->max_retries;
	rc = http_perform(l, &rq, &r, e);
	if (rc < 0) {
		char *where = http_url_for_message(cfg->base_url);

		err_prefix(e, "%s at %s", cfg->provider->label, where);
		free(where);
	}
	if (rc == 0)
		rc = llm_models_reply(cfg, &r, out, n, e);
	http_response_clean(&r);
	llm_http_clean(&req);
	return rc;
}

void
llm_models_free(llm_model *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(m[i].id);
	free(m);
}
