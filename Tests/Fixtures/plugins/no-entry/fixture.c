/* Refused: exports a differently named function instead of crm_plugin_entry. */
#include "crm_fixture.h"
FIXTURE_OK("fixture-no-entry", 0)
CRM_PLUGIN_EXPORT const crm_plugin_descriptor *crm_plugin_entry_v0(void)
{
    return &fixture_descriptor;
}
