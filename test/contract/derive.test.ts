import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DeriveError, deriveContract } from "../../src/contract/derive.js";
import { DocsFormatError } from "../../src/contract/docs-parser.js";
import { type JsonSchema, UUID_V4_PATTERN } from "../../src/contract/json-schema.js";
import { ROOT } from "../support/cli.js";

const DOCS = readFileSync(join(ROOT, "contracts/source/tickets-api.txt"), "utf8");
const PROFILE = readFileSync(join(ROOT, "contracts/source/PROFILE.md"), "utf8");
const contract = deriveContract(DOCS, PROFILE);
const schema = (name: string): JsonSchema => {
  const found = contract.schemas[name];
  if (!found) throw new Error(`no schema ${name}`);
  return found;
};
const field = (shape: string, ...path: string[]): JsonSchema =>
  path.reduce<JsonSchema>((node, name) => node.properties?.[name] as JsonSchema, schema(shape));

// Read off the docs by hand: the oracle the deriver is held to.
const DETAILS_FIELDS = [
  "assigneeEmail",
  "assigneeId",
  "assigneeName",
  "assigneePicture",
  "channelId",
  "channelName",
  "channelType",
  "chatId",
  "chatIsRemoved",
  "chatOwnerId",
  "completedAt",
  "createdAt",
  "id",
  "isOwnerBlocked",
  "ongoingAt",
  "ownerEmail",
  "ownerEntity",
  "ownerIdentifier",
  "ownerName",
  "pendingChatMessages",
  "responderEntity",
  "responderId",
  "responderName",
  "responderPicture",
  "responderVersionId",
  "responderVersionNumber",
  "status",
  "summary",
  "ticketingTeamId",
  "ticketingTeamName",
  "ticketingTeamPicture",
  "workspaceId",
];
const ROW_FIELDS = [
  "createdAt",
  "id",
  "updatedAt",
  "assigneeId",
  "chatId",
  "circumstance",
  "completedAt",
  "lastViewedAt",
  "ongoingAt",
  "status",
  "summary",
  "ticketingTeamId",
];
const LIST_QUERY = [
  "assigneeIds",
  "chatIds",
  "includeRemoved",
  "pageNumber",
  "pageSize",
  "responderIds",
  "responderVersionIds",
  "search",
  "status",
  "tagIds",
];

describe("fields: every one the docs list, none other", () => {
  it.each([
    ["TicketDetails", DETAILS_FIELDS],
    ["TicketRow", ROW_FIELDS],
    ["TagLink", ["createdAt", "updatedAt", "tagId", "ticketId"]],
    ["Message", ["message"]],
    ["CreateTicketBody", ["chatId", "ticketingTeamId", "assigneeId", "status"]],
    ["CompleteTicketBody", ["userId"]],
    ["TakeoverTicketBody", ["assigneeId"]],
    ["UpdateTicketAssigneeBody", ["assigneeId"]],
    ["AttachTicketTagBody", ["tagId"]],
  ])("%s", (name, fields) => {
    expect(Object.keys(schema(name).properties ?? {})).toEqual(fields);
    expect(schema(name).required).toEqual(fields);
  });

  it("the list query holds the 10 documented parameters, status the only required one", () => {
    const query = field("ListTicketDetailsParameters", "query");
    expect(Object.keys(query.properties ?? {})).toEqual(LIST_QUERY);
    expect(query.required).toEqual(["status"]);
  });

  it("counts as many fields as the docs have field lines", () => {
    const fieldLines = DOCS.split("\n").filter((line) =>
      /^[a-z][A-Za-z]*(string|number|integer|boolean|any of).*(Required|Optional)/.test(
        line.trim(),
      ),
    ).length;
    let derived = 0;
    for (const operation of contract.operations) {
      const parameters = schema(operation.parameters).properties ?? {};
      for (const group of Object.values(parameters))
        derived += Object.keys(group.properties ?? {}).length;
      if (operation.body) derived += Object.keys(schema(operation.body).properties ?? {}).length;
      const ok = operation.responses["200"]?.replace("[]", "");
      if (ok) derived += Object.keys(schema(ok).properties ?? {}).length;
    }
    // details twice, list query, rows four times, tag link, message, path ids, headers, bodies
    expect(fieldLines).toBe(32 * 2 + 10 + 12 * 4 + 4 + 1 + 7 + 8 + 8);
    expect(derived).toBe(fieldLines);
  });

  it("names the 8 operations", () => {
    expect(
      contract.operations.map((op) => `${op.operationId} ${op.method.toUpperCase()} ${op.path}`),
    ).toEqual([
      "getTicketDetails GET /api/v1/tickets/{id}/details",
      "listTicketDetails GET /api/v1/tickets/details",
      "completeTicket PATCH /api/v1/tickets/{id}/complete",
      "createTicket POST /api/v1/tickets",
      "attachTicketTag POST /api/v1/tickets/{ticketId}/tags",
      "removeTicketTag DELETE /api/v1/tickets/{ticketId}/tags/{tagId}",
      "takeoverTicket PATCH /api/v1/tickets/{id}/takeover",
      "updateTicketAssignee PATCH /api/v1/tickets/{id}/assignee",
    ]);
  });
});

describe("types, formats, nullability and bounds, as the docs state them", () => {
  it.each([
    ["TicketDetails", "assigneeEmail", ["string", "null"], undefined],
    ["TicketDetails", "assigneeId", ["string", "null"], "uuid"],
    ["TicketDetails", "chatIsRemoved", "boolean", undefined],
    ["TicketDetails", "isOwnerBlocked", ["boolean", "null"], undefined],
    ["TicketDetails", "pendingChatMessages", "integer", undefined],
    ["TicketDetails", "responderVersionNumber", ["integer", "null"], undefined],
    ["TicketDetails", "createdAt", "string", "date-time"],
    ["TicketDetails", "completedAt", ["string", "null"], "date-time"],
    ["TicketDetails", "responderName", "string", undefined],
    ["TicketRow", "lastViewedAt", ["string", "null"], "date-time"],
    ["TicketRow", "ticketingTeamId", ["string", "null"], "uuid"],
    ["CreateTicketBody", "assigneeId", "string", "uuid"],
    ["CreateTicketBody", "ticketingTeamId", ["string", "null"], "uuid"],
    ["TagLink", "tagId", "string", "uuid"],
  ])("%s.%s is %j, format %s", (shape, name, type, format) => {
    const property = field(shape, name);
    expect(property.type).toEqual(type);
    expect(property.format).toBe(format);
    if (property.description) expect(DOCS).toContain(property.description);
  });

  it("carries the docs' descriptions and quotes each field's docs line", () => {
    expect(field("TicketDetails", "assigneeEmail").description).toBe(
      "The email of the user currently assigned to the ticket.",
    );
    expect(field("TicketDetails", "assigneeEmail")["x-docs"]).toBe(
      "assigneeEmail: string · nullable · Required",
    );
  });

  it("applies the UUID v4 rule wherever the docs say 'A UUID v4 string', and only there", () => {
    for (const [name, op] of [
      ["GetTicketDetailsParameters", "id"],
      ["RemoveTicketTagParameters", "tagId"],
    ]) {
      expect(field(name as string, "path", op as string).pattern).toBe(UUID_V4_PATTERN);
    }
    expect(field("TicketRow", "id").pattern).toBe(UUID_V4_PATTERN);
    expect(field("CreateTicketBody", "chatId").pattern).toBe(UUID_V4_PATTERN);
    expect(field("TicketDetails", "id").pattern).toBeUndefined(); // "The ticket ID represented by this row."
    expect(field("TicketRow", "assigneeId").pattern).toBeUndefined();
  });

  it("bounds and defaults the paging parameters; integer-ness is a profile rule", () => {
    const pageSize = field("ListTicketDetailsParameters", "query", "pageSize");
    expect(pageSize).toMatchObject({
      type: "number",
      minimum: 1,
      maximum: 100,
      default: 10,
      multipleOf: 1,
    });
    expect(pageSize["x-profile"]?.multipleOf).toContain(
      "`pageSize` outside 1..100 or not an integer",
    );
    const pageNumber = field("ListTicketDetailsParameters", "query", "pageNumber");
    expect(pageNumber).toMatchObject({ type: "number", minimum: 1, default: 1 });
    expect(pageNumber.maximum).toBeUndefined();
  });

  it("takes one UUID or an array of UUIDs in each id filter, default []", () => {
    for (const name of [
      "assigneeIds",
      "chatIds",
      "responderIds",
      "responderVersionIds",
      "tagIds",
    ]) {
      const filter = field("ListTicketDetailsParameters", "query", name);
      expect(filter.default).toEqual([]);
      expect(filter.anyOf).toEqual([
        expect.objectContaining({
          type: "array",
          items: { type: "string", format: "uuid", pattern: UUID_V4_PATTERN },
        }),
        expect.objectContaining({ type: "string", format: "uuid", pattern: UUID_V4_PATTERN }),
      ]);
    }
  });

  it("requires authorization in the headers of every operation", () => {
    for (const operation of contract.operations) {
      const headers = field(operation.parameters, "headers");
      expect(headers.required, operation.operationId).toEqual(["authorization"]);
    }
    expect(contract.openapi).toMatchObject({ security: [{ apiKey: [] }] });
  });
});

describe("what the profile pins, marked as the profile's", () => {
  it.each([
    ["TicketDetails", "status", ["pending", "ongoing", "completed"]],
    ["TicketRow", "status", ["pending", "ongoing", "completed"]],
    ["CreateTicketBody", "status", ["pending", "ongoing", "completed"]],
    ["TicketRow", "circumstance", ["takeover", "handover"]],
    ["TicketDetails", "ownerEntity", ["user", "external_user"]],
    ["TicketDetails", "responderEntity", ["agent", "user"]],
    [
      "TicketDetails",
      "channelType",
      ["web", "whatsapp", "telegram", "instagram", "messenger", "email", "sms", "api", null],
    ],
  ])("%s.%s takes %j from PROFILE.md", (shape, name, values) => {
    expect(field(shape, name).enum).toEqual(values);
    expect(field(shape, name)["x-profile"]?.enum).toMatch(/^Enumerations: `/);
  });

  it("the list's status filter too", () => {
    expect(field("ListTicketDetailsParameters", "query", "status").enum).toEqual([
      "pending",
      "ongoing",
      "completed",
    ]);
  });

  it("error responses per operation, each marked profile and quoting its rule", () => {
    const paths = contract.openapi.paths as Record<
      string,
      Record<string, { responses: Record<string, Record<string, unknown>> }>
    >;
    const statuses = Object.fromEntries(
      contract.operations.map((op) => [
        op.operationId,
        Object.keys(paths[op.path]?.[op.method]?.responses ?? {}),
      ]),
    );
    expect(statuses).toEqual({
      getTicketDetails: ["200", "400", "401", "404"],
      listTicketDetails: ["200", "400", "401"],
      completeTicket: ["200", "400", "401", "404", "409"],
      createTicket: ["200", "400", "401", "404", "409"],
      attachTicketTag: ["200", "400", "401", "404", "409"],
      removeTicketTag: ["200", "400", "401", "404"],
      takeoverTicket: ["200", "400", "401", "404", "409"],
      updateTicketAssignee: ["200", "400", "401", "404", "409"],
    });
    const conflict = paths["/api/v1/tickets/{id}/complete"]?.patch?.responses["409"];
    expect(conflict).toMatchObject({
      "x-source": "profile",
      description: expect.stringMatching(/^Errors: `409` for/),
    });
    expect(schema("ErrorBody")).toMatchObject({ "x-source": "profile", required: ["message"] });
  });

  it("the list answers a JSON array, a profile rule", () => {
    const list = (
      contract.openapi.paths as Record<
        string,
        Record<
          string,
          { responses: Record<string, { content: Record<string, { schema: unknown }> }> }
        >
      >
    )["/api/v1/tickets/details"]?.get?.responses["200"]?.content["application/json"]?.schema;
    expect(list).toMatchObject({
      type: "array",
      items: { $ref: "#/components/schemas/TicketDetails" },
      "x-source": "profile",
    });
  });
});

describe("deriving", () => {
  it("is deterministic", () => {
    expect(deriveContract(DOCS, PROFILE).files).toEqual(contract.files);
  });

  it("takes the docs' own values when a 'Possible values:' list is filled, marked as docs", () => {
    const filled = DOCS.replaceAll(
      "The owner entity type associated with the chat owner super identity.\n\nPossible values:\n",
      "The owner entity type associated with the chat owner super identity.\n\nPossible values:\nuser\ncontact\n",
    );
    const derived = deriveContract(filled, PROFILE);
    const ownerEntity = derived.schemas.TicketDetails?.properties?.ownerEntity;
    expect(ownerEntity?.enum).toEqual(["user", "contact"]);
    expect(ownerEntity?.["x-profile"]).toBeUndefined();
  });

  it("refuses an empty 'Possible values:' the profile does not fill", () => {
    const profile = PROFILE.replace(/^\| `responderEntity`.*$/m, "");
    expect(() => deriveContract(DOCS, profile)).toThrow(
      /responderEntity is an enum whose "Possible values:" list is empty, and PROFILE.md pins no values for it/,
    );
  });

  it("names the line of a modifier it does not know", () => {
    const docs = DOCS.replace("summarystringRequired", "summarystring · markdownRequired");
    expect(() => deriveContract(docs, PROFILE)).toThrow(DocsFormatError);
    expect(() => deriveContract(docs, PROFILE)).toThrow(
      /^docs line \d+: unknown type modifier "markdown"$/,
    );
  });

  it("refuses two descriptions of one shared shape that disagree", () => {
    const docs = DOCS.replace(
      /(patch\n\nCompletes a ticket\.[\s\S]*?)lastViewedAtstring · date-time · nullableRequired/,
      "$1lastViewedAtstring · date-timeRequired",
    );
    expect(() => deriveContract(docs, PROFILE)).toThrow(DeriveError);
    expect(() => deriveContract(docs, PROFILE)).toThrow(
      /TicketRow\.lastViewedAt: nullable false -> true/,
    );
  });
});
