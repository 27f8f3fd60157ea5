/* Refused: the descriptor's name is NULL. */
#include "crm_fixture.h"
FIXTURE_DESCRIPTOR(NULL, CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR, sizeof(crm_plugin_descriptor), 0,
    fixture_init)
FIXTURE_ENTRY
