#include "config.h"

#include "exec/executor.h"
#include "util/strv.h"

#include <string.h>

static const executor_ops *const executor_table[] = { &executor_local_ops, &executor_kaggle_ops };

const executor_ops *
executor_find(const char *name, ak_err *e)
{
	size_t i;

	for (i = 0; i < sizeof(executor_table) / sizeof(executor_table[0]); i++)
		if (name && strcmp(name, executor_table[i]->name) == 0)
			return executor_table[i];
	err_kind_set(e, ERR_USAGE, "unknown executor '%s': use %s", name ? name : "", executor_names());
	return NULL;
}

const char *
executor_names(void)
{
	return "local or kaggle";
}

void
executor_command_free(executor_command *cmd)
{
	strv_free(cmd->argv);
	strv_free(cmd->env);
	memset(cmd, 0, sizeof(*cmd));
}
