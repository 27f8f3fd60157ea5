/* Refused: built for ABI 1.99, newer than the host. */
#include "crm_fixture.h"
FIXTURE_DESCRIPTOR("fixture-abi-minor-99", CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, 99, sizeof(crm_plugin_descriptor),
    0, fixture_init)
FIXTURE_ENTRY
