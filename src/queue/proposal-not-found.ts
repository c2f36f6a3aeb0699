export class ProposalNotFound extends Error {
  constructor(readonly id: string) {
    super(`no proposal \`${id}\`; \`patchwarden queue list\` shows the ids`);
    this.name = "ProposalNotFound";
  }
}
