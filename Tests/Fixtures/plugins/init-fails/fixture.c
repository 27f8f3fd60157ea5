/* Refused: init returns UNAVAILABLE with a message. */
#include "crm_fixture.h"
static int32_t failing_init(const crm_host_api *host, const uint8_t *config, size_t config_len, void **state,
    crm_plugin_error *error)
{
    (void)host;
    (void)config;
    (void)config_len;
    (void)state;
    return fixture_fail(error, CRM_STATUS_UNAVAILABLE, "the fixture's backend is unreachable");
}
FIXTURE_DESCRIPTOR("fixture-init-fails", CRM_PLUGIN_MAGIC, CRM_PLUGIN_ABI_MAJOR, CRM_PLUGIN_ABI_MINOR,
    sizeof(crm_plugin_descriptor), 0, failing_init)
FIXTURE_ENTRY
