from hirfa.accounts.roles import Capability, Role, roles_with


def test_the_roles_holding_a_capability_are_listed_for_queries_on_users():
    assert roles_with(Capability.HOLD_OWN_FILE) == [Role.ARTISAN]
    assert set(roles_with(Capability.SEE_NATION)) == {Role.CNSS, Role.ADMIN, Role.AUDITOR}


def test_a_capability_no_role_holds_lists_no_role():
    assert roles_with("fly") == []
