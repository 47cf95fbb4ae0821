import { describe, expect, it } from "vitest";
import {
  compileTemplate,
  liquidMarkupInHtml,
  renderTemplate,
  TemplateError,
  variableNameOf,
} from "@/lib/templates/render";

const render = (subject: string, html: string, values: Record<string, string>) =>
  renderTemplate(compileTemplate({ subject, html }), values);

describe("merge templates", () => {
  it.each([
    ["a value", "<p>Hi {{ first_name }}</p>", { first_name: "Ann" }, "<p>Hi Ann</p>"],
    [
      "a default for an empty value",
      '<p>Hi {{ first_name | default: "there" }}</p>',
      { first_name: "" },
      "<p>Hi there</p>",
    ],
    [
      "a default for a missing column",
      '<p>Hi {{ first_name | default: "there" }}</p>',
      {},
      "<p>Hi there</p>",
    ],
    [
      "a condition, true",
      "<p>{% if company %}from {{ company }}{% endif %}</p>",
      { company: "Acme" },
      "<p>from Acme</p>",
    ],
    [
      "a condition, false",
      "<p>{% if company %}from {{ company }}{% endif %}</p>",
      { company: "" },
      "<p></p>",
    ],
    [
      "HTML in a value is escaped",
      "<p>{{ name }}</p>",
      { name: '<script>alert("x")</script>' },
      "<p>&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</p>",
    ],
    ["an ampersand is escaped", "<p>{{ name }}</p>", { name: "A&B" }, "<p>A&amp;B</p>"],
    ["quotes as entities from the editor", "<p>{{ n | default: &quot;you&quot; }}</p>", {}, "<p>you</p>"],
    ["no prototype reach", "<p>{{ name.constructor }}{{ name.__proto__ }}</p>", { name: "x" }, "<p></p>"],
  ])("%s", (_label, html, values, expected) => {
    expect(render("s", html, values).html).toBe(expected);
  });

  it("the subject is plain text: not escaped, one line", () => {
    expect(render("Hi {{ a }} & {{ b }}", "", { a: "<Ann>", b: "x\r\ny" }).subject).toBe("Hi <Ann> & x y");
  });

  it("lists the variables the subject and body read", () => {
    const t = compileTemplate({
      subject: "{{ a }}",
      html: "{% if b %}{{ c | default: d }}{% endif %}{{ a }}",
    });
    expect(t.variables).toEqual(["a", "b", "c", "d"]);
  });

  it.each([
    ["include", "{% include 'secrets' %}"],
    ["render", "{% render '/etc/passwd' %}"],
    ["layout", "{% layout 'x' %}"],
    ["an unknown filter", "{{ a | shell }}"],
    ["a broken tag", "{% if a %}"],
  ])("refuses %s when parsed", (_label, html) => {
    expect(() => compileTemplate({ subject: "", html })).toThrow(TemplateError);
  });

  it("a runaway loop is stopped by the render limits", () => {
    const t = compileTemplate({ subject: "", html: "{% for i in (1..100000000) %}xxxxxxxxxx{% endfor %}" });
    expect(() => renderTemplate(t, {})).toThrow();
  });

  it("decodes entities only inside Liquid markup", () => {
    expect(liquidMarkupInHtml("&quot;{{ a | default: &quot;b&quot; }}&amp;")).toBe(
      '&quot;{{ a | default: "b" }}&amp;',
    );
  });

  it.each([
    ["First name", "first_name"],
    ["E-mail", "e_mail"],
    ["Société", "societe"],
    ["2nd", "_2nd"],
    ["  ", ""],
  ])("the column %j is read as %j", (header, name) => {
    expect(variableNameOf(header)).toBe(name);
  });
});
