import { useState } from 'react';
import { initialsOf } from '../format';

/**
 * The public avatar (avatarUrl: Pancake's redirect to its CDN), loaded when it scrolls into
 * view; the initials instead while it has none or when it fails. Decorative: the name is next to it.
 */
export function Avatar({ url, name }: { url: string; name: string | null | undefined }) {
  const [failed, setFailed] = useState(false);
  return (
    <span className="avatar" aria-hidden="true">
      <span className="avatar-initials">{initialsOf(name)}</span>
      {!failed && (
        <img
          src={url}
          alt=""
          width={40}
          height={40}
          loading="lazy"
          decoding="async"
          referrerPolicy="no-referrer"
          onError={() => setFailed(true)}
        />
      )}
    </span>
  );
}
