/* The header crm_fixture.h is the whole of this target. */
int crm_fixture_support_placeholder;
