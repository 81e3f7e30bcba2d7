/* newidea.c - the defaults of a new idea (newidea.h). */
#include "newidea.h"

#include "stage.h"
#include "uuid.h"

void idea_new_defaults(struct idea *idea, int64_t now, const char *user)
{
	if (!idea_get(idea, IDEA_ID)[0]) {
		unsigned char id[UUID_LEN];
		char text[UUID_STR_LEN];
		uuid_generate(id);
		uuid_format(id, text);
		idea_set_raw(idea, IDEA_ID, text);
	}
	if (!idea_get(idea, IDEA_STAGE)[0])
		idea_set_raw(idea, IDEA_STAGE, stage_code(STAGE_NEED));
	if (!idea_get(idea, IDEA_CREATED_AT)[0])
		idea_set_time(idea, IDEA_CREATED_AT, now);
	if (!idea_get(idea, IDEA_STAGE_SINCE)[0])
		idea_set_time(idea, IDEA_STAGE_SINCE, now);
	if (!idea_get(idea, IDEA_UPDATED_AT)[0])
		idea_set_time(idea, IDEA_UPDATED_AT, now);
	if (!idea_get(idea, IDEA_UPDATED_BY)[0])
		idea_set_raw(idea, IDEA_UPDATED_BY, user);
	idea_set_u64(idea, IDEA_REVISION, 1);
}
