import httpx

from tests.support import people


async def test_sign_up_then_me(client: httpx.AsyncClient) -> None:
    person = await people.sign_up(client, email="Aigerim@Example.KZ")
    response = await client.get("/me", headers=person.headers)
    body = response.json()
    assert body["email"] == "Aigerim@example.kz"
    assert body["roles"] == ["citizen"]
    admin = await people.admin(client)
    me = await client.get("/me", headers=admin.headers)
    assert me.json()["roles"] == ["admin", "citizen"]
