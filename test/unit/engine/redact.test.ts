import { describe, it, expect } from 'vitest';
import { REDACTED, redactKnown, redactSecrets, restoreRedactedPassword, secretsOf } from '../../../src/main/engine/cameras/redact';

describe('redactSecrets', () => {
  it('hides the password and keeps the user name', () => {
    expect(redactSecrets('rtsp://admin:s3cret@10.0.0.5:554/Streaming/Channels/101')).toBe('rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101');
  });

  it('with only a user name, keeps the name and shows the mask (no hint whether a password exists)', () => {
    expect(redactSecrets('rtsp://viewer@10.0.0.5/live')).toBe('rtsp://viewer:***@10.0.0.5/live');
  });

  it('hides an empty user name with a password', () => {
    expect(redactSecrets('rtsp://:s3cret@10.0.0.5/live')).toBe('rtsp://***@10.0.0.5/live');
  });

  it('hides secrets in query parameters, case-insensitively', () => {
    expect(redactSecrets('http://10.0.0.5/video.cgi?user=admin&password=hunter2&resolution=640x480')).toBe(
      'http://10.0.0.5/video.cgi?user=admin&password=***&resolution=640x480',
    );
    expect(redactSecrets('http://10.0.0.5/mjpg?PWD=abc')).toBe('http://10.0.0.5/mjpg?PWD=***');
    expect(redactSecrets('https://cdn/live.m3u8?token=eyJhbGciOi&x=1')).toBe('https://cdn/live.m3u8?token=***&x=1');
    expect(redactSecrets('rtmp://h/app?key=abc123')).toBe('rtmp://h/app?key=***');
  });

  it('leaves URLs without secrets alone', () => {
    for (const url of ['rtsp://10.0.0.5/live', 'http://cam.local/video.mjpg?resolution=640x480', 'file:///srv/a.mp4', 'device:///dev/video0']) {
      expect(redactSecrets(url)).toBe(url);
    }
  });

  it('redacts every URL inside a line of FFmpeg output', () => {
    const line = '[tcp @ 0x55] Connection to rtsp://a:pw1@10.0.0.1/x failed, trying rtsp://b:pw2@10.0.0.2/y';
    const out = redactSecrets(line);
    expect(out).toBe('[tcp @ 0x55] Connection to rtsp://a:***@10.0.0.1/x failed, trying rtsp://b:***@10.0.0.2/y');
    expect(out).not.toContain('pw1');
    expect(out).not.toContain('pw2');
  });

  it('hides percent-encoded passwords', () => {
    expect(redactSecrets('rtsp://admin:p%40ss%3Aw0rd@10.0.0.5/live')).toBe('rtsp://admin:***@10.0.0.5/live');
  });

  // BUG (see report): the URL parser and classifyStreamUrl accept a raw '@' in the password
  // (the last '@' ends the user info), but the regex stops at the first '@' and leaks the rest.
  it('hides a password that contains a raw @', () => {
    const url = 'rtsp://admin:p@ssw0rd@10.0.0.5/live';
    expect(new URL(url).hostname).toBe('10.0.0.5');
    const out = redactSecrets(url);
    expect(out).not.toContain('ssw0rd');
    expect(out).toBe('rtsp://admin:***@10.0.0.5/live');
  });
});

describe('redactKnown', () => {
  it('also hides secrets FFmpeg prints bare', () => {
    expect(redactKnown('Authorization failed for admin with password s3cret', ['s3cret'])).toBe('Authorization failed for admin with password ***');
  });

  it('redacts URLs as redactSecrets does', () => {
    expect(redactKnown('rtsp://admin:other@h/x', [])).toBe('rtsp://admin:***@h/x');
  });

  it('hides every occurrence and every known secret', () => {
    expect(redactKnown('abc123 then abc123 and zz9zz', ['abc123', 'zz9zz'])).toBe('*** then *** and ***');
  });

  it('ignores secrets shorter than 3 characters (they would mangle ordinary text)', () => {
    expect(redactKnown('a 12 b', ['12', 'a'])).toBe('a 12 b');
  });

  it('works with secretsOf, including the URL-encoded form', () => {
    const url = 'rtsp://admin:p%40ss!@10.0.0.5/live';
    const secrets = secretsOf(url);
    expect(secrets).toEqual(['p%40ss!', 'p@ss!']);
    expect(redactKnown('bad password p@ss! and p%40ss!', secrets)).toBe('bad password *** and ***');
  });
});

describe('secretsOf', () => {
  it('returns nothing for URLs without a password or that do not parse', () => {
    expect(secretsOf('rtsp://10.0.0.5/live')).toEqual([]);
    expect(secretsOf('rtsp://viewer@10.0.0.5/live')).toEqual([]);
    expect(secretsOf('not a url')).toEqual([]);
  });
});

describe('restoreRedactedPassword', () => {
  const stored = 'rtsp://admin:s3cret@10.0.0.5:554/Streaming/Channels/101';

  it('keeps the stored password when the redacted form comes back unchanged', () => {
    expect(restoreRedactedPassword(redactSecrets(stored), stored)).toBe(stored);
  });

  it('keeps the stored password when only host or path changed', () => {
    expect(restoreRedactedPassword('rtsp://admin:***@10.0.0.6:554/Streaming/Channels/102', stored)).toBe(
      'rtsp://admin:s3cret@10.0.0.6:554/Streaming/Channels/102',
    );
  });

  it('keeps a stored percent-encoded password intact', () => {
    const encoded = 'rtsp://admin:p%40ss%3Aw0rd@10.0.0.5/live';
    expect(restoreRedactedPassword('rtsp://admin:***@10.0.0.5/live', encoded)).toBe(encoded);
    expect(new URL(restoreRedactedPassword('rtsp://admin:***@10.0.0.5/live', encoded)).password).toBe('p%40ss%3Aw0rd');
  });

  it('does not carry the password over when the user name changed', () => {
    const incoming = 'rtsp://operator:***@10.0.0.5:554/Streaming/Channels/101';
    const out = restoreRedactedPassword(incoming, stored);
    expect(out).toBe(incoming);
    expect(out).not.toContain('s3cret');
  });

  it('round-trips a stored URL that has a user name but no password', () => {
    const userOnly = 'rtsp://viewer@10.0.0.5/live';
    expect(restoreRedactedPassword(redactSecrets(userOnly), userOnly)).toBe(userOnly);
  });

  it('takes a new password as typed', () => {
    const incoming = 'rtsp://admin:n3w-pass@10.0.0.5:554/Streaming/Channels/101';
    expect(restoreRedactedPassword(incoming, stored)).toBe(incoming);
  });

  it('returns the incoming URL when nothing is stored or a URL does not parse', () => {
    expect(restoreRedactedPassword('rtsp://admin:***@h/x', null)).toBe('rtsp://admin:***@h/x');
    expect(restoreRedactedPassword('not a url', stored)).toBe('not a url');
    expect(restoreRedactedPassword('rtsp://admin:***@h/x', 'not a url')).toBe('rtsp://admin:***@h/x');
  });

  it('REDACTED is the mask the API shows', () => {
    expect(REDACTED).toBe('***');
  });
});
