/* fuzz_template.c - fuzzes template_parse (core/template.c), the editor
 * template reader, on arbitrary bytes applied to a valid idea.
 *
 * A refused text leaves the idea unchanged and names a line; an accepted
 * one leaves an idea that passes idea_check, and rendering that idea and
 * parsing the result onto the original gives the same idea again (render
 * and parse are inverses for values stored through idea_set). */
#include "fuzz.h"

#include "../../core/idea.h"
#include "../../core/template.h"
#include "../../core/xmalloc.h"

static struct idea *fuzz_base(void)
{
	struct idea *idea = idea_new();
	idea_set_raw(idea, IDEA_ID, "0b9c6a4e-2f1d-4c3b-9a8e-7d6c5b4a3f21");
	idea_set_raw(idea, IDEA_REF, "84-0042");
	idea_set_raw(idea, IDEA_TITLE, "Épicerie solidaire à Saint-Flour");
	idea_set_raw(idea, IDEA_REGION, "84");
	idea_set_raw(idea, IDEA_STAGE, "concept");
	idea_set_raw(idea, IDEA_TERRITORY, "15187");
	idea_set_raw(idea, IDEA_NEED,
		     "Pas de commerce à moins de 30 km.\n\n"
		     "Les habitants âgés ne conduisent plus.");
	idea_set_raw(idea, IDEA_TAGS, "alimentation; ESS");
	idea_set_raw(idea, IDEA_REVISION, "3");
	return idea;
}

static void fuzz_same(const struct idea *a, const struct idea *b,
		      const char *what)
{
	for (int f = 0; f < IDEA_FIELD_COUNT; f++)
		FUZZ_CHECK(fuzz_same_text(a->v[f], b->v[f]),
			   "%s: %s \"%s\" -> \"%s\"", what,
			   idea_field_info(f)->code, idea_get(a, f),
			   idea_get(b, f));
	FUZZ_CHECK(a->nextra == b->nextra, "%s: extras", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct idea *base = fuzz_base(), *idea = idea_clone(base);
	struct fai_err err;
	struct buf b;
	int rc;

	fai_err_clear(&err);
	rc = template_parse(idea, (const char *)data, size, &err);
	if (rc != 0) {
		FUZZ_CHECK(rc == -FAI_EINVAL || rc == -FAI_ENOTHING, "rc %d",
			   rc);
		FUZZ_CHECK(rc != -FAI_EINVAL || err.line >= 1,
			   "refusal without a line");
		fuzz_same(base, idea, "a refused template changed the idea");
		goto out;
	}
	FUZZ_CHECK(idea_check(idea, &err) == 0, "idea_check refuses %s: %s",
		   err.field, fai_why_text(err.why));

	struct idea *again = idea_clone(base);
	buf_init(&b);
	template_render(&b, idea, "# fuzz\n# header");
	rc = template_parse(again, b.data, b.len, &err);
	FUZZ_CHECK(rc == 0, "rendered template refused: %s line %ld field %s",
		   fai_why_text(err.why), err.line, err.field);
	fuzz_same(idea, again, "render + parse");
	buf_free(&b);
	idea_free(again);
out:
	idea_free(idea);
	idea_free(base);
	return 0;
}
