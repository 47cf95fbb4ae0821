import { beforeAll, describe, expect, it } from "vitest";
import { GET as forCompose } from "@/app/api/templates/[id]/compose/route";
import { POST as duplicate } from "@/app/api/templates/[id]/duplicate/route";
import { DELETE as remove, GET as getOne, PATCH as patch } from "@/app/api/templates/[id]/route";
import { POST as preview } from "@/app/api/templates/preview/route";
import { GET as list, POST as create } from "@/app/api/templates/route";
import { callRoute, signUpUser, type TestUser } from "@/tests/support/api";

let owner: TestUser;
let other: TestUser;

beforeAll(async () => {
  owner = await signUpUser("Owner");
  other = await signUpUser("Other");
});

const save = (json: unknown, user = owner) => callRoute(create, { method: "POST", user, json });

describe("templates", () => {
  it("saves, lists, duplicates and deletes a template of the owner's", async () => {
    const res = await save({
      name: "Welcome",
      subject: "Hi {{ first_name }}",
      html: '<p>Hello {{ first_name | default: "there" }}</p><script>x</script>',
    });
    expect(res.status).toBe(201);
    const { template } = await res.json();
    expect(template).toMatchObject({ name: "Welcome", variables: ["first_name"] });
    expect(template.html).not.toContain("<script>");

    const copy = await callRoute(duplicate, { method: "POST", user: owner, params: { id: template.id } });
    expect(copy.status).toBe(201);
    expect((await copy.json()).template.name).toBe("Welcome (copy)");

    const names = (await (await callRoute(list, { user: owner })).json()).templates.map(
      (t: { name: string }) => t.name,
    );
    expect(names.sort()).toEqual(["Welcome", "Welcome (copy)"]);

    const changed = await callRoute(patch, {
      method: "PATCH",
      user: owner,
      params: { id: template.id },
      json: { name: "Hello" },
    });
    expect((await changed.json()).template.name).toBe("Hello");

    expect(
      (await callRoute(remove, { method: "DELETE", user: owner, params: { id: template.id } })).status,
    ).toBe(204);
    expect((await callRoute(getOne, { user: owner, params: { id: template.id } })).status).toBe(404);
  });

  it("another user's template is not found, whatever the method", async () => {
    const { template } = await (await save({ name: "Mine", subject: "s", html: "<p>x</p>" })).json();
    const params = { id: template.id };
    expect((await callRoute(getOne, { user: other, params })).status).toBe(404);
    expect(
      (await callRoute(patch, { method: "PATCH", user: other, params, json: { name: "x" } })).status,
    ).toBe(404);
    expect((await callRoute(remove, { method: "DELETE", user: other, params })).status).toBe(404);
    expect((await callRoute(duplicate, { method: "POST", user: other, params })).status).toBe(404);
    expect((await callRoute(list, { user: other })).status).toBe(200);
    expect((await (await callRoute(list, { user: other })).json()).templates).toEqual([]);
  });

  it.each([
    [{ subject: "s", html: "<p>x</p>" }, "name"],
    [{ name: "x", subject: "a\nb", html: "" }, "subject"],
    [{ name: "x", subject: "s", html: "<p>{% include 'x' %}</p>" }, "html"],
    [{ name: "x", subject: "{{ a | nope }}", html: "" }, "subject"],
  ])("refuses %j with a 400 naming %s", async (json, field) => {
    const res = await save(json);
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()).error.fields)).toContain(field);
  });

  it("needs a session", async () => {
    expect((await callRoute(list, { user: null })).status).toBe(401);
  });

  it("previews a template with sample values, escaped", async () => {
    const res = await callRoute(preview, {
      method: "POST",
      user: owner,
      json: { subject: "Hi {{ n }}", html: "<p>{{ n }}</p>", values: { n: "<b>Ann</b>" } },
    });
    expect(await res.json()).toMatchObject({
      preview: { subject: "Hi <b>Ann</b>", html: "<p>&lt;b&gt;Ann&lt;/b&gt;</p>" },
    });
  });

  it("fills a template for Compose: defaults stand in, a variable without one stays visible as its tag", async () => {
    const { template } = await (
      await save({
        name: "One-off",
        subject: 'Hello {{ first_name | default: "there" }}',
        html:
          '<p>Hi {{ first_name | default: "friend" }}, your code is {{ code }}.</p>' +
          "{% if company %}<p>For {{ company }}</p>{% endif %}<p>{{ note | default: 'A & B' }}</p>",
      })
    ).json();
    const res = await callRoute(forCompose, { user: owner, params: { id: template.id } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: "Hello there",
      // The default is escaped as a value would be; the part for a company is left out.
      html: "<p>Hi friend, your code is {{ code }}.</p><p>A &amp; B</p>",
      unfilled: ["code"],
    });
    expect((await callRoute(forCompose, { user: other, params: { id: template.id } })).status).toBe(404);
  });
});
