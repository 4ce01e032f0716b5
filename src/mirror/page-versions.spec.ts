import { PageVersions } from './page-versions.js';

describe('PageVersions', () => {
  it('keeps the highest version per page, whatever order commits are reported in', () => {
    const versions = new PageVersions();
    expect(versions.get('111')).toBeUndefined();
    versions.moved('111', 6);
    versions.moved('111', 5); // an earlier apply's commit, reported after a later one
    versions.moved('222', 1);
    expect(versions.get('111')).toBe(6);
    versions.moved('111', 7);
    expect(versions.get('111')).toBe(7);
    expect(versions.get('222')).toBe(1);
  });
});
