/** Ids a run needs and the docs give no endpoint to create (PROFILE.md "Fixtures"). */
export interface Fixtures {
  /** Chats with no non-completed ticket at start-up: a run can create tickets on them. */
  chatIds: string[];
  userIds: string[];
  tagIds: string[];
  ticketingTeamIds: string[];
}
