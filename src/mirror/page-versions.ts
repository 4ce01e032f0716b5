/**
 * The highest mirror version seen per page. Versions only grow, so two applies whose commits
 * are reported out of order still leave the newer one.
 */
export class PageVersions {
  private readonly byPage = new Map<string, number>();

  get(pageId: string): number | undefined {
    return this.byPage.get(pageId);
  }

  moved(pageId: string, version: number): void {
    const known = this.byPage.get(pageId);
    if (known === undefined || version > known) this.byPage.set(pageId, version);
  }
}
