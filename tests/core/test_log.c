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

static void test_kind_code(void **state)
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
	assert_string_equal(log_kind_code((enum log_kind) - 1), "");
}

static void test_entry(void **state)
{
	struct log_entry e;
	const struct log_change *c;
	struct log_change ch[2] = {
	    {"stage", "need", "concept"},
	    {"rank", NULL, "5"},
	};

	(void)state;
	log_entry_clear(NULL);
	memset(&e, 0, sizeof(e));
	assert_null(log_entry_change(NULL, "stage"));
	assert_null(log_entry_change(&e, "stage"));
	log_entry_clear(&e);

	/* An entry built to be written borrows its strings, no cast. */
	e.user = "camille";
	e.client = "192.0.2.7";
	e.text = "besoin confirmé";
	e.nchanges = 2;
	e.changes = ch;
	c = log_entry_change(&e, "stage");
	assert_ptr_equal(c, &ch[0]);
	assert_string_equal(c->after, "concept");
	c = log_entry_change(&e, "rank");
	assert_non_null(c);
	assert_null(c->before);
	assert_null(log_entry_change(&e, "title"));
	assert_null(log_entry_change(&e, NULL));
	assert_null(e.own);
	log_entry_clear(&e); /* owns nothing: frees nothing */
	assert_null(e.user);
	assert_null(e.changes);
	assert_int_equal(e.nchanges, 0);
	log_entry_clear(&e);
}

/* log_entry_own copies what the entry borrowed into one block of its own;
 * owning again copies from that block. */
static void test_entry_own(void **state)
{
	struct log_entry e;
	const struct log_change *c;
	char user[] = "camille", text[] = "besoin confirmé";
	char name[] = "stage", before[] = "need", after[] = "concept";
	struct log_change ch[2] = {
	    {name, before, after},
	    {"rank", NULL, NULL},
	};

	(void)state;
	memset(&e, 0, sizeof(e));
	e.user = user;
	e.text = text;
	e.nchanges = 2;
	e.changes = ch;
	log_entry_own(&e);
	assert_non_null(e.own);
	assert_ptr_not_equal(e.user, user);
	assert_ptr_not_equal(e.changes, ch);
	user[0] = text[0] = name[0] = before[0] = after[0] = '#';
	assert_string_equal(e.user, "camille");
	assert_null(e.client);
	assert_string_equal(e.text, "besoin confirmé");
	c = log_entry_change(&e, "stage");
	assert_non_null(c);
	assert_string_equal(c->before, "need");
	assert_string_equal(c->after, "concept");
	c = log_entry_change(&e, "rank");
	assert_non_null(c);
	assert_null(c->before);
	assert_null(c->after);
	log_entry_own(&e);
	assert_string_equal(e.user, "camille");
	assert_string_equal(log_entry_change(&e, "stage")->after, "concept");
	log_entry_clear(&e);
	assert_null(e.own);
	assert_null(e.user);

	/* Nothing to copy still gives an owned, empty entry. */
	log_entry_own(&e);
	assert_null(e.user);
	assert_null(e.changes);
	log_entry_clear(&e);
}

/* Lent changes point at the diff's strings. */
static void test_changes_lend(void **state)
{
	char n0[] = "title", b0[] = "Old", a0[] = "New";
	struct idea_change ch[1] = {{n0, b0, a0}};
	struct log_change *lent;

	(void)state;
	lent = log_changes_lend(ch, 1);
	assert_ptr_equal(lent[0].name, n0);
	assert_ptr_equal(lent[0].before, b0);
	assert_ptr_equal(lent[0].after, a0);
	free(lent);
	free(log_changes_lend(NULL, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kind_code),
	    cmocka_unit_test(test_entry),
	    cmocka_unit_test(test_entry_own),
	    cmocka_unit_test(test_changes_lend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
