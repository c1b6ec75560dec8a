#!/usr/bin/python3
"""A real RTSP camera for Vigil's integration tests and benchmarks (GStreamer gst-rtsp-server).

Serves one MP4's H.264 track, looped forever in real time and never re-encoded, on /cam (open)
and /secure (RTSP Basic auth when --user/--password are given). Any other path is a 404.

How the loop works: one "looper" pipeline (filesrc ! qtdemux ! h264parse ! appsink) replays the
file with segment seeks (no flush, no gap) and paces it in real time on its own timeline, which
keeps growing across loops. Each RTSP client gets its own live `appsrc ! rtph264pay` media; the
looper copies every access unit into every playing appsrc, re-stamped into that media's running
time (all pipelines run on the system clock). So clients join a camera that is already rolling,
as a real one is (PLAY ranges cannot seek it), and each client's stream starts on a keyframe:
its media is not ready (DESCRIBE waits) until the next one comes round.

Prints exactly one line, `READY <port>`, on stdout once listening; logs go to stderr.
Exit codes: 0 on SIGTERM/SIGINT (or stdin EOF with --exit-with-stdin), 98 when the port is taken,
1 on any other error.

Debian's python (/usr/bin/python3) is required: it has the gi bindings.
"""
import argparse
import os
import signal
import sys
import threading
import time

import gi

gi.require_version('Gst', '1.0')
gi.require_version('GstApp', '1.0')
gi.require_version('GstRtspServer', '1.0')
from gi.repository import GLib, Gst, GstApp, GstRtspServer  # noqa: E402,F401 (GstApp: appsrc.push_buffer)

COPY_SHALLOW = (Gst.BufferCopyFlags.FLAGS | Gst.BufferCopyFlags.TIMESTAMPS
                | Gst.BufferCopyFlags.META | Gst.BufferCopyFlags.MEMORY)
EADDRINUSE_EXIT = 98  # same number as Linux's EADDRINUSE; the Node side retries on it


def log(msg):
    try:
        print(f'[rtsp-server] {msg}', file=sys.stderr, flush=True)
    except OSError:
        pass  # the parent is gone with our stderr: still shut down cleanly


class Looper:
    """Plays the file forever in real time and fans its access units out to the appsrcs.

    It keeps its own timeline instead of qtdemux's running time: with an edit list (B-frame
    delay) qtdemux accumulates a loop length one frame short, which would give a duplicate
    timestamp at every wrap. Here a loop lasts exactly its frames' total duration."""

    def __init__(self, path, on_error):
        self.lock = threading.Lock()
        self.sinks = {}  # appsrc -> True while it waits for a keyframe to (re)start on
        self.caps = None
        self.on_error = on_error
        self.clock = Gst.SystemClock.obtain()  # the media pipelines use it too
        self.t0 = None  # clock time of the first loop's start
        self.offset = 0  # start of the current loop on our timeline
        self.loop_end = 0  # end of the last frame seen in this loop (clip-relative)
        self.frame_dur = Gst.SECOND // 25  # fallback for buffers without a duration
        self.seg_base = None  # changes when a SEGMENT seek starts a new loop
        self.last_dts = None
        # sync=false: _on_sample paces the stream on our own timeline.
        self.pipeline = Gst.parse_launch(
            'filesrc name=file ! qtdemux ! h264parse ! video/x-h264,alignment=au '
            '! appsink name=sink sync=false emit-signals=true max-buffers=4'
        )
        self.pipeline.get_by_name('file').set_property('location', path)
        self.pipeline.get_by_name('sink').connect('new-sample', self._on_sample)
        bus = self.pipeline.get_bus()
        bus.add_signal_watch()
        bus.connect('message', self._on_message)

    def start(self):
        """Prerolls (so the caps are known before any client asks) and starts playing."""
        self.pipeline.set_state(Gst.State.PAUSED)
        ret, _, _ = self.pipeline.get_state(10 * Gst.SECOND)
        if ret == Gst.StateChangeReturn.FAILURE:
            raise RuntimeError('cannot preroll the file (is it an MP4 with H.264 video?)')
        self.caps = self.pipeline.get_by_name('sink').get_static_pad('sink').get_current_caps()
        if self.caps is None:
            raise RuntimeError('no H.264 caps after preroll')
        # A flushing SEGMENT seek: at the end we get SEGMENT_DONE instead of EOS, and can seek
        # back without flushing, so the demuxer carries on seamlessly.
        self.pipeline.seek(1.0, Gst.Format.TIME, Gst.SeekFlags.FLUSH | Gst.SeekFlags.SEGMENT,
                           Gst.SeekType.SET, 0, Gst.SeekType.NONE, -1)
        self.pipeline.set_state(Gst.State.PLAYING)

    def stop(self):
        self.pipeline.set_state(Gst.State.NULL)

    def add(self, appsrc):
        appsrc.set_property('caps', self.caps)
        with self.lock:
            self.sinks[appsrc] = True

    def remove(self, appsrc):
        with self.lock:
            self.sinks.pop(appsrc, None)

    def _set_waiting(self, appsrc, waiting):
        with self.lock:
            if appsrc in self.sinks:  # not if it was removed meanwhile
                self.sinks[appsrc] = waiting

    def _on_message(self, _bus, msg):
        if msg.type == Gst.MessageType.SEGMENT_DONE:
            self.pipeline.seek(1.0, Gst.Format.TIME, Gst.SeekFlags.SEGMENT,
                               Gst.SeekType.SET, 0, Gst.SeekType.NONE, -1)
        elif msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            self.on_error(f'looper: {err.message} ({dbg})')
        elif msg.type == Gst.MessageType.EOS:
            self.on_error('looper: unexpected EOS')

    def _on_sample(self, sink):
        sample = sink.emit('pull-sample')
        buf, seg = sample.get_buffer(), sample.get_segment()
        if self.t0 is None:
            self.t0 = self.clock.get_time()
        if seg.base != self.seg_base:
            if self.seg_base is not None:  # a new loop: it starts where the last frame ended
                self.offset += self.loop_end
                self.loop_end = 0
            self.seg_base = seg.base
        if buf.duration != Gst.CLOCK_TIME_NONE:
            self.frame_dur = buf.duration
        rel_pts = buf.pts - seg.start  # clip-relative; DTS can be < 0 with B-frames
        rel_dts = rel_pts if buf.dts == Gst.CLOCK_TIME_NONE else buf.dts - seg.start
        self.loop_end = max(self.loop_end, rel_pts + self.frame_dur)
        pts, dts = (self.t0 + self.offset + t for t in (rel_pts, rel_dts))  # clock times
        if self.last_dts is not None and dts <= self.last_dts:
            return Gst.FlowReturn.OK  # replayed by the initial flushing seek
        self.last_dts = dts
        delay = dts - self.clock.get_time()  # real time, in decode order
        if delay > 0:
            time.sleep(delay / Gst.SECOND)
        self._fan_out(buf, pts, dts)
        return Gst.FlowReturn.OK

    def _fan_out(self, buf, pts, dts):
        keyframe = not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)
        with self.lock:
            sinks = list(self.sinks.items())
        for appsrc, waiting in sinks:
            # A media pipeline that is not playing has no base time to map onto; start
            # (again) on a keyframe once it plays, so its clients decode from the first frame.
            if appsrc.current_state != Gst.State.PLAYING:
                self._set_waiting(appsrc, True)
                continue
            if waiting and not keyframe:
                continue
            media_base = appsrc.get_base_time()  # its running time = clock time - base
            if min(pts, dts) < media_base:
                continue
            # A new buffer sharing the payload's memory. (Not buf.copy(): without gst-python's
            # overrides that is a mere ref, so every media would stamp the same buffer.)
            out = buf.copy_region(COPY_SHALLOW, 0, buf.get_size())
            out.pts, out.dts = pts - media_base, dts - media_base
            ret = appsrc.push_buffer(out)
            self._set_waiting(appsrc, False)
            if ret != Gst.FlowReturn.OK:
                log(f'push to a media failed ({ret.value_nick}); dropping it')
                self.remove(appsrc)


def make_factory(looper, roles):
    """roles: None for no auth, else {role: may_construct}. Without ACCESS a role gets 404
    (the mount is hidden); with ACCESS but not CONSTRUCT, 401 and a Basic challenge."""
    factory = GstRtspServer.RTSPMediaFactory()
    # config-interval=-1: SPS/PPS before every IDR, so late joiners can start decoding.
    factory.set_launch(
        '( appsrc name=src is-live=true format=time leaky-type=downstream max-buffers=32 '
        '! rtph264pay name=pay0 pt=96 config-interval=-1 )'
    )
    # Not shared: a newcomer to a shared media would join mid-GOP, its first seconds undecodable.
    factory.set_shared(False)
    factory.set_clock(Gst.SystemClock.obtain())
    if roles is not None:
        perms = GstRtspServer.RTSPPermissions()
        for role, may_construct in roles.items():
            perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_ACCESS, True)
            perms.add_permission_for_role(role, GstRtspServer.RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                          may_construct)
        factory.set_permissions(perms)

    def on_configure(_factory, media):
        appsrc = media.get_element().get_by_name('src')
        looper.add(appsrc)
        media.connect('unprepared', lambda _m: looper.remove(appsrc))

    factory.connect('media-configure', on_configure)
    return factory


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--port', type=int, default=0, help='0 picks a free port')
    ap.add_argument('--address', default='127.0.0.1')
    ap.add_argument('--file', required=True, help='MP4 with an H.264 video track')
    ap.add_argument('--user')
    ap.add_argument('--password')
    ap.add_argument('--exit-with-stdin', action='store_true',
                    help='exit when stdin closes, so a crashed parent leaves no orphan server')
    args = ap.parse_args()
    if (args.user is None) != (args.password is None):
        ap.error('--user and --password go together')
    if not os.path.isfile(args.file):
        ap.error(f'no such file: {args.file}')

    Gst.init(None)
    loop = GLib.MainLoop()
    status = {'code': 0}

    def fail(msg):
        log(msg)
        status['code'] = 1
        loop.quit()

    looper = Looper(args.file, fail)
    try:
        looper.start()
    except RuntimeError as e:
        log(f'{args.file}: {e}')
        sys.exit(1)

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    # One thread per client: DESCRIBE blocks until its media has a keyframe, and with the
    # default single thread every client connecting meanwhile would queue behind it.
    server.get_thread_pool().set_max_threads(-1)
    mounts = server.get_mount_points()
    if args.user is None:
        mounts.add_factory('/cam', make_factory(looper, None))
        mounts.add_factory('/secure', make_factory(looper, None))
    else:
        # Once a server has an RTSPAuth, every request is checked: clients without (right)
        # credentials get the default token, role 'anonymous'. /secure lets it see the mount
        # but not construct the media, which answers 401 + a Basic challenge (no ACCESS would
        # be a 404 and clients would never retry with credentials). Unknown paths stay 404.
        auth = GstRtspServer.RTSPAuth()
        anon = GstRtspServer.RTSPToken()
        anon.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'anonymous')
        auth.set_default_token(anon)
        user = GstRtspServer.RTSPToken()
        user.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, 'user')
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), user)
        server.set_auth(auth)
        mounts.add_factory('/cam', make_factory(looper, {'anonymous': True, 'user': True}))
        mounts.add_factory('/secure', make_factory(looper, {'anonymous': False, 'user': True}))

    # create_source (unlike attach) says why binding failed. GStreamer binds with
    # allow_reuse=TRUE (SO_REUSEADDR), so a port in TIME_WAIT can be bound again at once.
    try:
        source = server.create_source(None)
    except GLib.Error as e:
        log(f'cannot listen on {args.address}:{args.port}: {e.message}')
        looper.stop()
        sys.exit(EADDRINUSE_EXIT if 'in use' in e.message.lower() else 1)
    source.attach(None)

    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, lambda: loop.quit() or False)
    if args.exit_with_stdin:
        GLib.io_add_watch(GLib.IOChannel.unix_new(0), GLib.PRIORITY_DEFAULT,
                          GLib.IOCondition.IN | GLib.IOCondition.HUP,
                          lambda ch, _c: _stdin_closed(ch, loop))

    port = server.get_bound_port()
    log(f'serving {args.file} on rtsp://{args.address}:{port}/cam and /secure'
        + (' (auth)' if args.user else ''))
    print(f'READY {port}', flush=True)
    loop.run()
    source.destroy()  # stop accepting before tearing the looper down
    looper.stop()
    log('stopped')
    sys.exit(status['code'])


def _stdin_closed(channel, loop):
    """Watches stdin: anything read is ignored; EOF means the parent is gone."""
    data = os.read(channel.unix_get_fd(), 4096)
    if data:
        return True
    loop.quit()
    log('stdin closed: exiting')
    return False


if __name__ == '__main__':
    main()
