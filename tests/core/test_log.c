/* test_log.c - log entry kinds, change lookup, and freeing an entry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../core/log.h"
#include "../../core/xmalloc.h"

static void
test_kind_code(void **state)
{
	(void)state;
	assert_string_equal(log_kind_code(LOG_CREATE), "create");
	assert_string_equal(log_kind_code(LOG_EDIT), "edit");
	assert_string_equal(log_kind_code(LOG_MOVE), "move");
	assert_string_equal(log_kind_code(LOG_COMMENT), "comment");
	assert_string_equal(log_kind_code(LOG_REORDER), "reorder");
	assert_string_equal(log_kind_code(LOG_UNDO), "undo");
	assert_string_equal(log_kind_code(LOG_IMPORT), "import");
	assert_string_equal(log_kind_code(LOG_CONFIG), "config");
	assert_string_equal(log_kind_code(LOG_KIND_COUNT), "");
	assert_string_equal(log_kind_code((enum log_kind)-1), "");
}

static void
test_entry(void **state)
{
	struct log_entry e;
	const struct idea_change *c;

	(void)state;
	log_entry_clear(NULL);
	memset(&e, 0, sizeof(e));
	assert_null(log_entry_change(NULL, "stage"));
	assert_null(log_entry_change(&e, "stage"));
	log_entry_clear(&e);

	e.user = xstrdup("camille");
	e.client = xstrdup("192.0.2.7");
	e.text = xstrdup("besoin confirmé");
	e.nchanges = 2;
	e.changes = xcalloc(2, sizeof(*e.changes));
	e.changes[0].name = xstrdup("stage");
	e.changes[0].before = xstrdup("need");
	e.changes[0].after = xstrdup("concept");
	e.changes[1].name = xstrdup("rank");
	e.changes[1].before = NULL;
	e.changes[1].after = xstrdup("5");
	c = log_entry_change(&e, "stage");
	assert_non_null(c);
	assert_string_equal(c->after, "concept");
	c = log_entry_change(&e, "rank");
	assert_non_null(c);
	assert_null(c->before);
	assert_null(log_entry_change(&e, "title"));
	assert_null(log_entry_change(&e, NULL));
	log_entry_clear(&e);
	assert_null(e.user);
	assert_null(e.changes);
	assert_int_equal(e.nchanges, 0);
	log_entry_clear(&e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_code),
		cmocka_unit_test(test_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
