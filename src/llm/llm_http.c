#include "config.h"

#include "llm/provider.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
llm_http_header(llm_http *out, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;
	char *line;

	while (out->headers[n])
		n++;
	/* One slot stays NULL; the providers send at most five. */
	if (n + 1 >= sizeof out->headers / sizeof *out->headers)
		abort();
	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (!line)
		line = xstrdup("");
	out->headers[n] = line;
}

void
llm_http_body(llm_http *out, cJSON *j)
{
	char *text = cJSON_PrintUnformatted(j);

	free(out->body);
	out->body = xstrdup(text ? text : "{}");
	cJSON_free(text);
	cJSON_Delete(j);
}

void
llm_http_clean(llm_http *out)
{
	size_t i;

	free(out->url);
	for (i = 0; out->headers[i]; i++)
		free(out->headers[i]);
	free(out->body);
	memset(out, 0, sizeof *out);
}

void
llm_turn_text(llm_turn *t, const char *text, size_t len, int thought)
{
	if (!text || len == 0)
		return;
	if (!thought)
		strbuf_add(&t->text, text, len);
	if (t->emit)
		t->emit(t->arg, text, len, thought);
}

void
llm_turn_finish(llm_turn *t, const char *reason)
{
	if (reason && *reason)
		snprintf(t->finish, sizeof t->finish, "%s", reason);
}

long
llm_json_long(const cJSON *j, const char *name, long keep)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	return cJSON_IsNumber(v) ? (long)v->valuedouble : keep;
}

const char *
llm_json_str(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

int
llm_url_is_loopback(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	int yes = 0;

	if (u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK)
		yes = strncmp(host, "127.", 4) == 0 || strcmp(host, "[::1]") == 0 || strcasecmp(host, "localhost") == 0;
	curl_free(host);
	curl_url_cleanup(u);
	return yes;
}
