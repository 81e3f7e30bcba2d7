/* fuzz_idea_set.c - fuzzes idea_set, the door of core/idea.c for text from
 * outside, on arbitrary bytes.  The first byte picks the field (and whether
 * system fields are allowed), the rest is the value.
 *
 * A refused value leaves the idea as it was.  An accepted value is valid
 * UTF-8, without control characters, newline only in multi-line fields,
 * without surrounding white space, within the field's length, not empty
 * in a required field; setting it again gives itself (normalising is
 * idempotent); the idea still passes idea_check; and for editable fields
 * the editor template renders and parses it back unchanged. */
#include "fuzz.h"

#include "../../core/idea.h"
#include "../../core/template.h"
#include "../../core/utf8.h"
#include "../../core/xmalloc.h"

/* A valid idea to start from. */
static struct idea *fuzz_base(void)
{
	struct idea *idea = idea_new();
	idea_set_raw(idea, IDEA_TITLE, "Épicerie solidaire à Saint-Flour");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_STAGE, "need");
	idea_set_raw(idea, IDEA_NEED, "Pas de commerce à moins de 30 km.");
	idea_set_raw(idea, IDEA_TAGS, "alimentation; ESS");
	return idea;
}

static int fuzz_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum idea_field f = (enum idea_field)(data[0] % IDEA_FIELD_COUNT);
	int allow_system = (data[0] & 0x80) != 0;
	const struct idea_field_info *info = idea_field_info(f);
	char *value = fuzz_cstr(data + 1, size - 1);
	struct idea *idea = fuzz_base(), *before = idea_clone(idea);
	struct idea_change *ch = NULL;
	size_t nch = 0;
	struct fai_err err;
	int rc = idea_set(idea, f, value, allow_system, &err);

	if (rc != 0) {
		FUZZ_CHECK(rc == -FAI_EINVAL, "rc %d", rc);
		nch = idea_diff(before, idea, 0, &ch);
		FUZZ_CHECK(nch == 0, "a refused %s changed the idea",
			   info->code);
		goto out;
	}
	const char *v = idea_get(idea, f);
	size_t n = strlen(v);
	FUZZ_CHECK(n <= info->max_len, "%s: %zu > %zu bytes", info->code, n,
		   info->max_len);
	FUZZ_CHECK(utf8_check(v, n) == n && fuzz_utf8_check(v, n) == n,
		   "%s: invalid UTF-8 stored", info->code);
	FUZZ_CHECK(!utf8_has_control(v, n), "%s: control stored", info->code);
	FUZZ_CHECK((info->flags & IDEA_FF_MULTILINE) || !strchr(v, '\n'),
		   "%s: newline in a one-line field", info->code);
	FUZZ_CHECK(!strchr(v, '\r'), "%s: CR stored", info->code);
	FUZZ_CHECK(n == 0 || (!fuzz_space(v[0]) && !fuzz_space(v[n - 1])),
		   "%s: white space kept around \"%s\"", info->code, v);
	FUZZ_CHECK(n > 0 || !(info->flags & IDEA_FF_REQUIRED),
		   "%s: required field emptied", info->code);

	/* Normalising what is stored changes nothing. */
	struct idea *again = idea_new();
	char *copy = xstrdup(v);
	FUZZ_CHECK(idea_set(again, f, copy, 1, &err) == 0,
		   "%s: stored \"%s\" is refused when set again (%s)",
		   info->code, v, fai_why_text(err.why));
	FUZZ_CHECK(strcmp(idea_get(again, f), v) == 0,
		   "%s: \"%s\" normalises to \"%s\"", info->code, v,
		   idea_get(again, f));
	free(copy);
	idea_free(again);

	FUZZ_CHECK(idea_check(idea, &err) == 0, "idea_check refuses %s: %s",
		   err.field, fai_why_text(err.why));

	/* The editor template gives the value back. */
	if (!(info->flags & (IDEA_FF_SYSTEM | IDEA_FF_INTERNAL))) {
		struct buf b;
		struct idea *parsed = fuzz_base();
		buf_init(&b);
		template_render(&b, idea, "# fuzz");
		rc = template_parse(parsed, b.data, b.len, &err);
		FUZZ_CHECK(rc == 0,
			   "%s: template of \"%s\" refused: %s line %ld",
			   info->code, v, fai_why_text(err.why), err.line);
		FUZZ_CHECK(fuzz_same_text(idea_get(parsed, f), v),
			   "%s: template turns \"%s\" into \"%s\"", info->code,
			   v, idea_get(parsed, f));
		idea_free(parsed);
		buf_free(&b);
	}
out:
	idea_changes_free(ch, nch);
	idea_free(before);
	idea_free(idea);
	free(value);
	return 0;
}
