/* Refused: struct_size is smaller than ABI 1.0's descriptor. */
#include "crm_fixture.h"
FIXTURE_DESCRIPTOR("fixture-small-struct", CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR, 40, 0,
    fixture_init)
FIXTURE_ENTRY
