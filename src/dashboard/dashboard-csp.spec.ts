import { AVATAR_CDN_ORIGINS, dashboardCsp } from './dashboard-csp.js';

describe('dashboardCsp', () => {
  const directives = (csp: string): Map<string, string> =>
    new Map(
      csp.split('; ').map((directive) => {
        const [name, ...values] = directive.split(' ');
        return [name, values.join(' ')];
      }),
    );

  it('allows only the gateway for scripts, styles and connections, and framing by no one', () => {
    const csp = directives(dashboardCsp('https://pancake.vn/api/v1'));
    expect(csp.get('default-src')).toBe("'self'");
    expect(csp.get('script-src')).toBe("'self'");
    expect(csp.get('style-src')).toBe("'self'");
    expect(csp.get('connect-src')).toBe("'self'");
    expect(csp.get('frame-ancestors')).toBe("'none'");
    expect(csp.get('object-src')).toBe("'none'");
    expect([...csp.values()].join(' ')).not.toMatch(/unsafe-|https:(?!\/\/)|\*/);
  });

  it('allows images from the avatar redirect and the CDN it points to, by origin', () => {
    const csp = directives(dashboardCsp('https://pancake.vn/api/v1/'));
    expect(csp.get('img-src')).toBe(`'self' https://pancake.vn ${AVATAR_CDN_ORIGINS.join(' ')}`);
    expect(directives(dashboardCsp('http://127.0.0.1:4010/api/v1', [])).get('img-src')).toBe(
      "'self' http://127.0.0.1:4010",
    );
  });

  it('leaves out what is not an http(s) origin', () => {
    expect(directives(dashboardCsp('not a url', ['javascript:alert(1)'])).get('img-src')).toBe(
      "'self'",
    );
  });
});
