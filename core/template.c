/* template.c - the text form of an idea for $EDITOR, in the manner of a
 * `git commit` message: '#' comment lines, then one "code: value" line per
 * editable field (the codes, or the fields' labels as the caller gives
 * them when idea_field_parse reads each back: "Titre:"), multi-line values
 * continued on lines indented by two spaces.
 *
 * Rendering and parsing are exact inverses for values stored through
 * idea_set (which trims them).  Parsing works on a copy of the idea and
 * changes the caller's idea only when every field was accepted. */
#include "template.h"

#include <stdlib.h>
#include <string.h>

/* 1 when the field appears in the template: neither system nor internal. */
static int template_editable(enum idea_field f)
{
	return !(idea_field_info(f)->flags &
		 (IDEA_FF_SYSTEM | IDEA_FF_INTERNAL));
}

void template_render(struct buf *b, const struct idea *idea, const char *header,
		     const char *(*name)(enum idea_field f))
{
	const char *v, *nl;
	int f, names = name != NULL;

	/* The caller's names (the labels in the person's language) when
	 * every one reads back as its field, else the codes: the text
	 * always parses again, and never mixes the two. */
	for (f = 0; f < IDEA_FIELD_COUNT && names; f++) {
		const char *key = name((enum idea_field)f);
		if (template_editable((enum idea_field)f) &&
		    (key == NULL || strchr(key, ':') != NULL ||
		     idea_field_parse(key) != f))
			names = 0;
	}

	buf_add(b, "", 0);
	if (header != NULL && header[0] != '\0') {
		buf_adds(b, header);
		if (header[strlen(header) - 1] != '\n')
			buf_addc(b, '\n');
	}
	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		if (!template_editable((enum idea_field)f))
			continue;
		buf_adds(b, names ? name((enum idea_field)f)
				  : idea_field_info((enum idea_field)f)->code);
		buf_addc(b, ':');
		v = idea_get(idea, (enum idea_field)f);
		if (*v != '\0')
			buf_addc(b, ' ');
		while ((nl = strchr(v, '\n')) != NULL) {
			buf_add(b, v, (size_t)(nl - v));
			buf_adds(b, "\n  ");
			v = nl + 1;
		}
		buf_adds(b, v);
		buf_addc(b, '\n');
	}
}

/* The field being read: its code, first line and text so far. */
struct template_field {
	int f;	       /* enum idea_field, -1 when none */
	long line;     /* line its "code:" was on */
	size_t blanks; /* blank lines seen since its last text line */
	struct buf value;
};

/* Applies the field being read to idea, if any. */
static int template_flush(struct idea *idea, struct template_field *cur,
			  struct fai_err *err)
{
	int rc;

	if (cur->f < 0)
		return 0;
	buf_add(&cur->value, "", 0);
	rc = idea_set(idea, (enum idea_field)cur->f, cur->value.data,
		      IDEA_SET_TYPED, err);
	if (rc < 0 && err != NULL)
		err->line = cur->line;
	cur->f = -1;
	cur->blanks = 0;
	buf_reset(&cur->value);
	return rc;
}

static int template_blank(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return 0;
	return 1;
}

int template_parse(struct idea *idea, const char *text, size_t n,
		   struct fai_err *err)
{
	struct template_field cur = {-1, 0, 0, {NULL, 0, 0}};
	struct idea *work;
	const char *line, *end, *colon;
	size_t len, pos = 0, skip;
	long lineno = 0;
	int fields = 0, rc = 0, f;
	char *name;
	char *tmp;

	work = idea_clone(idea);
	buf_init(&cur.value);
	/* Some editors start the file with a UTF-8 byte order mark. */
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < n) {
		line = text + pos;
		end = memchr(line, '\n', n - pos);
		len = end ? (size_t)(end - line) : n - pos;
		pos += len + (end ? 1 : 0);
		lineno++;
		if (len > 0 && line[len - 1] == '\r')
			len--;
		if (memchr(line, '\0', len) != NULL) {
			rc = fai_err_set(
			    err, FAI_EINVAL, FAI_WHY_CONTROL,
			    cur.f >= 0
				? idea_field_info((enum idea_field)cur.f)->code
				: NULL,
			    NULL);
			if (err != NULL)
				err->line = lineno;
			goto out_work;
		}
		if (len > 0 && line[0] == '#')
			continue;
		if (template_blank(line, len)) {
			if (cur.f >= 0)
				cur.blanks++;
			continue;
		}
		if (cur.f >= 0 && (line[0] == ' ' || line[0] == '\t')) {
			/* A continuation: drop its two-space indent. */
			skip = len >= 2 && line[0] == ' ' && line[1] == ' ' ? 2
									    : 1;
			for (; cur.blanks > 0; cur.blanks--)
				buf_addc(&cur.value, '\n');
			buf_addc(&cur.value, '\n');
			buf_add(&cur.value, line + skip, len - skip);
			continue;
		}
		/* "code: value" */
		colon = memchr(line, ':', len);
		name = xstrndup(line, colon ? (size_t)(colon - line) : len);
		f = colon ? idea_field_parse(name) : -1;
		if (f < 0) {
			rc = fai_err_set(err, FAI_EINVAL, FAI_WHY_FIELD, name,
					 NULL);
			free(name);
			if (err != NULL)
				err->line = lineno;
			goto out_work;
		}
		free(name);
		rc = template_flush(work, &cur, err);
		if (rc < 0)
			goto out_work;
		fields++;
		cur.f = f;
		cur.line = lineno;
		skip = (size_t)(colon - line) + 1;
		while (skip < len && (line[skip] == ' ' || line[skip] == '\t'))
			skip++;
		buf_add(&cur.value, line + skip, len - skip);
	}
	rc = template_flush(work, &cur, err);
	if (rc < 0)
		goto out_work;
	if (fields == 0) {
		rc = fai_err_set(err, FAI_ENOTHING, FAI_WHY_NONE, NULL, NULL);
		goto out_work;
	}
	/* Every field was accepted: hand the new values over. */
	for (f = 0; f < IDEA_FIELD_COUNT; f++) {
		tmp = idea->v[f];
		idea->v[f] = work->v[f];
		work->v[f] = tmp;
	}
out_work:
	buf_free(&cur.value);
	idea_free(work);
	return rc;
}
