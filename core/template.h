/* template.h - the text form of an idea edited in $EDITOR, like a
 * `git commit` message.
 *
 * Lines starting with '#' are comments.  A field starts with "code: value"
 * at the start of a line; the lines after it that start with two spaces
 * continue it (the two spaces removed, a line of just "  " or "" inside a
 * multi-line value is an empty line).  Fields not present keep their value;
 * a field present with nothing after the colon is emptied. */
#ifndef FAI_TEMPLATE_H
#define FAI_TEMPLATE_H

#include <stddef.h>

#include "err.h"
#include "idea.h"
#include "xmalloc.h"

/* Appends to b the template of idea: header (already '#'-prefixed lines,
 * may be NULL) then every field that is not system nor internal, named by
 * name(f) (a translated label, say) when idea_field_parse reads every such
 * name back as its field, else by their codes (name NULL: codes). */
void template_render(struct buf *b, const struct idea *idea, const char *header,
		     const char *(*name)(enum idea_field f));

/* Applies text (n bytes) to idea through idea_set.  Returns 0;
 * -FAI_ENOTHING when text holds nothing but comments and blanks (cancel);
 * -FAI_EINVAL with err->line and err->field set for an unknown field or a bad
 * value. */
int template_parse(struct idea *idea, const char *text, size_t n,
		   struct fai_err *err);

#endif
