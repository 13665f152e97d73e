#include "config.h"

#include "kaggle/kernel.h"
#include "kaggle/zipname.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/termsafe.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Output files asked for per page: Kaggle's own client asks for 20. */
#define KERNEL_OUTPUT_PAGE 20
/* Pages followed before the listing is taken as endless (a server that
 * keeps handing back a token). */
#define KERNEL_OUTPUT_MAX_PAGES 1000

int
kaggle_kernel_save(kaggle_client *c, const kaggle_kernel_push *p, kaggle_kernel_pushed *out, ak_err *e)
{
	char *body = kaggle_api_save_kernel_body(p), *reply;
	size_t len;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	reply = kaggle_client_call_service(c, KAGGLE_API_KERNELS, "SaveKernel", body, p->id, &len, e);
	free(body);
	if (!reply || kaggle_api_parse_kernel_pushed(reply, len, out, e) < 0)
		goto done;
	if (*out->error)
		err_kind_set(e, ERR_INPUT, "Kaggle refused the push of kernel %s: %s", p->id, out->error);
	else if (out->version <= 0)
		err_kind_set(e, ERR_SERVER, "Kaggle accepted kernel %s but named no version of it", p->id);
	else
		rc = 0;
done:
	free(reply);
	return rc;
}

int
kaggle_kernel_reason_is_quota(const char *reason)
{
	static const char *const signs[] = { "quota", "accelerator", "gpu is not available", "gpu not available",
		"no gpu", "tpu is not available" };
	size_t i;

	for (i = 0; reason && i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strcasestr(reason, signs[i]))
			return 1;
	return 0;
}

int
kaggle_kernel_status_get(kaggle_client *c, const char *owner, const char *slug, kaggle_kernel_session *out,
	ak_err *e)
{
	char *body = kaggle_api_kernel_status_body(owner, slug), *id = xasprintf("%s/%s", owner, slug), *reply;
	size_t len;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	reply = kaggle_client_call_service(c, KAGGLE_API_KERNELS, "GetKernelSessionStatus", body, id, &len, e);
	if (reply)
		rc = kaggle_api_parse_kernel_session(reply, len, out, e);
	else if (err_kind_of(e) == ERR_NOT_FOUND)
		rc = 1;
	free(reply);
	free(body);
	free(id);
	return rc;
}

/* One output file into dir; 0 also when it is skipped. */
static int
kernel_fetch_file(kaggle_client *c, const kaggle_kernel_file *f, const char *dir, size_t *files, ak_err *e)
{
	const char *why = NULL;
	int is_dir = 0, rc = 0;
	char *rel = zipname_clean(f->file_name, &is_dir, &why), *dest = NULL, *slash;

	if (!rel || is_dir || !*f->url) {
		fputs("warning: skipped an output file named ", stderr);
		termsafe_fputs(f->file_name, TERMSAFE_LINE, stderr);
		fprintf(stderr, " (%s)\n", why ? why : is_dir ? "a directory" : "no link to it");
		free(rel);
		return 0;
	}
	dest = fs_join(dir, rel);
	slash = strrchr(dest, '/');
	*slash = '\0';
	if (fs_mkdir_p(dest, 0755, e) < 0)
		rc = -1;
	*slash = '/';
	if (rc == 0 && kaggle_client_download(c, f->url, dest, e) < 0)
		rc = -1;
	if (rc == 0)
		(*files)++;
	free(dest);
	free(rel);
	return rc;
}

int
kaggle_kernel_collect(kaggle_client *c, const char *owner, const char *slug, const char *dir, char **log,
	size_t *files, ak_err *e)
{
	char *token = xstrdup(""), *id = xasprintf("%s/%s", owner, slug);
	strbuf logs = { 0 };
	int pages = 0, rc = -1;

	*log = NULL;
	*files = 0;
	if (fs_mkdir_p(dir, 0755, e) < 0)
		goto out;
	for (;;) {
		char *body = kaggle_api_kernel_output_body(owner, slug, KERNEL_OUTPUT_PAGE, token), *reply;
		kaggle_kernel_output page;
		size_t len, i;
		int failed = 0;

		reply = kaggle_client_call_service(c, KAGGLE_API_KERNELS, "ListKernelSessionOutput", body, id, &len, e);
		free(body);
		if (!reply || kaggle_api_parse_kernel_output(reply, len, &page, e) < 0) {
			free(reply);
			goto out;
		}
		free(reply);
		/* Each page carries the log again: the last word counts. */
		if (*page.log) {
			char *text = kaggle_api_kernel_log_text(page.log);
			strbuf_reset(&logs);
			strbuf_addstr(&logs, text);
			free(text);
		}
		for (i = 0; i < page.count && !failed; i++)
			failed = kernel_fetch_file(c, &page.items[i], dir, files, e) < 0;
		free(token);
		token = page.next_page_token;
		page.next_page_token = NULL;
		kaggle_api_kernel_output_free(&page);
		if (failed)
			goto out;
		if (!*token)
			break;
		if (++pages == KERNEL_OUTPUT_MAX_PAGES) {
			err_kind_set(e, ERR_SERVER, "Kaggle listed the output of kernel %s over %d pages without an end",
				id, KERNEL_OUTPUT_MAX_PAGES);
			goto out;
		}
	}
	*log = strbuf_detach(&logs);
	rc = 0;
out:
	strbuf_free(&logs);
	free(token);
	free(id);
	return rc;
}
