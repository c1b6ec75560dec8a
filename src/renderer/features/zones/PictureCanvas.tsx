// The camera's live picture with the zones and lines drawn over it. The SVG covers the whole
// <video> element; shapes are placed on the picture's content rect (object-fit: contain), so
// 0-1 picture coordinates mean the same on any element size.
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent, type PointerEvent as ReactPointerEvent } from 'react';
import type { CameraView } from '../../../shared/cameras';
import type { Line, PicturePoint, Zone } from '../../../shared/rules';
import type { ApiClient } from '../../api/client';
import { describeCode } from '../../api/errors';
import { shouldPlay, STATE_LABELS, tileView } from '../grid/tile-state';
import { usePlayer } from '../grid/usePlayer';
import {
  arrowHead,
  clientToPicture,
  draftClick,
  draftDoubleClick,
  hitEdge,
  hitPoint,
  insertPoint,
  insidePolygon,
  lineLength,
  lineMarks,
  MIN_LINE_LENGTH,
  pictureRect,
  pictureToPx,
  removePoint,
  svgPoints,
  translatePoints,
  type Px,
  type Rect,
} from './geometry';

export type Tool = 'select' | 'zone' | 'mask' | 'line';
export type Selection = { kind: 'zone' | 'line'; id: string } | null;

export interface PictureCanvasProps {
  client: ApiClient;
  camera: CameraView;
  zones: Zone[];
  lines: Line[];
  tool: Tool;
  selected: Selection;
  onSelect(selection: Selection): void;
  onZone(id: string, polygon: PicturePoint[]): void;
  onLine(id: string, points: [PicturePoint, PicturePoint]): void;
  onCreateZone(kind: Zone['kind'], polygon: PicturePoint[]): void;
  onCreateLine(points: [PicturePoint, PicturePoint]): void;
  /** Drawing finished or was cancelled: back to selecting. */
  onToolDone(): void;
  /** A short sentence on what just happened or what to do next. */
  onHint(hint: string): void;
}

type Drag =
  | { kind: 'zone-point'; id: string; index: number }
  | { kind: 'line-point'; id: string; index: 0 | 1 }
  | { kind: 'zone-move'; id: string; start: PicturePoint; original: PicturePoint[] }
  | { kind: 'line-move'; id: string; start: PicturePoint; original: [PicturePoint, PicturePoint] };

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}

export function PictureCanvas(props: PictureCanvasProps) {
  const { client, camera, zones, lines, tool, selected } = props;
  const videoRef = useRef<HTMLVideoElement>(null);
  const boxRef = useRef<HTMLDivElement>(null);
  const svgRef = useRef<SVGSVGElement>(null);
  const hatchId = `zones-hatch-${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const [box, setBox] = useState({ width: 0, height: 0 });
  const [videoSize, setVideoSize] = useState({ width: 0, height: 0 });
  const [draft, setDraft] = useState<PicturePoint[]>([]);
  const [hover, setHover] = useState<PicturePoint | null>(null);
  const [activePoint, setActivePoint] = useState<number | null>(null);
  const drag = useRef<Drag | null>(null);

  const url = shouldPlay(camera) ? client.liveUrl(camera.id, 'main') : null;
  const { report } = usePlayer(videoRef, boxRef, url);
  const view = tileView(camera, url ? report : null);

  useEffect(() => {
    const el = boxRef.current;
    if (!el) return;
    const measure = () => setBox({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const update = () => setVideoSize({ width: video.videoWidth, height: video.videoHeight });
    video.addEventListener('loadedmetadata', update);
    video.addEventListener('resize', update);
    return () => {
      video.removeEventListener('loadedmetadata', update);
      video.removeEventListener('resize', update);
    };
  }, []);

  // Switching tools drops a half-drawn shape.
  useEffect(() => {
    setDraft([]);
    setHover(null);
  }, [tool]);
  useEffect(() => setActivePoint(null), [selected?.id]);

  const content: Rect = pictureRect(box.width, box.height, videoSize.width, videoSize.height);
  const toPx = (p: PicturePoint): Px => pictureToPx(p, content);
  const selectedZone = selected?.kind === 'zone' ? zones.find((z) => z.id === selected.id) : undefined;
  const selectedLine = selected?.kind === 'line' ? lines.find((l) => l.id === selected.id) : undefined;

  const eventPoint = (e: { clientX: number; clientY: number }): { point: PicturePoint; px: Px } => {
    const rect = svgRef.current!.getBoundingClientRect();
    return { point: clientToPicture(e.clientX, e.clientY, rect, content), px: { x: e.clientX - rect.x, y: e.clientY - rect.y } };
  };

  const cancelDraft = useCallback(() => {
    setDraft([]);
    setHover(null);
    props.onToolDone();
    props.onHint('Drawing cancelled.');
  }, [props]);

  const deleteActivePoint = () => {
    if (!selectedZone || activePoint === null) return false;
    const next = removePoint(selectedZone.polygon, activePoint);
    if (!next) {
      props.onHint('A zone keeps at least 3 points; delete the zone from the list instead.');
      return true;
    }
    props.onZone(selectedZone.id, next);
    setActivePoint(null);
    return true;
  };

  const onKeyDown = (e: ReactKeyboardEvent) => {
    if (isTyping(e.target)) return;
    if (e.key === 'Escape' && (tool !== 'select' || draft.length > 0)) {
      e.preventDefault();
      e.stopPropagation();
      cancelDraft();
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && tool === 'select') {
      if (deleteActivePoint()) e.preventDefault();
    } else if (e.key === 'Enter' && (tool === 'zone' || tool === 'mask')) {
      finishPolygon();
    }
  };

  const finishPolygon = () => {
    const result = draftDoubleClick(draft);
    if (result.action === 'close') {
      props.onCreateZone(tool === 'mask' ? 'mask' : 'zone', result.points);
      setDraft([]);
      props.onToolDone();
    } else if (result.action === 'ignore') props.onHint(result.reason);
  };

  const onPointerDown = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (e.button !== 0) return;
    svgRef.current?.focus();
    const { point, px } = eventPoint(e);
    if (tool === 'zone' || tool === 'mask') {
      const result = draftClick(draft, point, draft.map(toPx), px);
      if (result.action === 'add') {
        setDraft(result.points);
        props.onHint(result.points.length < 3 ? 'Click the next point.' : 'Click the first point, double-click or press Enter to close the shape; Escape cancels.');
      } else if (result.action === 'close') {
        props.onCreateZone(tool, result.points);
        setDraft([]);
        props.onToolDone();
      } else if (result.reason !== 'same point as the last one') props.onHint(result.reason);
      return;
    }
    if (tool === 'line') {
      if (draft.length === 0) {
        setDraft([point]);
        props.onHint('Click where the line ends.');
      } else if (lineLength(draft[0]!, point) < MIN_LINE_LENGTH) {
        props.onHint('The two ends of a line must be apart.');
      } else {
        props.onCreateLine([draft[0]!, point]);
        setDraft([]);
        props.onToolDone();
      }
      return;
    }
    // Selecting: points of the selected shape first, then any shape's points, then shapes.
    if (selectedZone) {
      const index = hitPoint(selectedZone.polygon.map(toPx), px);
      if (index >= 0) {
        drag.current = { kind: 'zone-point', id: selectedZone.id, index };
        setActivePoint(index);
        svgRef.current?.setPointerCapture(e.pointerId);
        return;
      }
    }
    for (const line of [...lines].reverse()) {
      const index = hitPoint(line.points.map(toPx), px);
      if (index >= 0) {
        props.onSelect({ kind: 'line', id: line.id });
        drag.current = { kind: 'line-point', id: line.id, index: index as 0 | 1 };
        svgRef.current?.setPointerCapture(e.pointerId);
        return;
      }
      if (hitEdge(line.points.map(toPx), px, false)) {
        props.onSelect({ kind: 'line', id: line.id });
        drag.current = { kind: 'line-move', id: line.id, start: point, original: line.points };
        svgRef.current?.setPointerCapture(e.pointerId);
        return;
      }
    }
    for (const zone of [...zones].reverse()) {
      const pts = zone.polygon.map(toPx);
      const index = hitPoint(pts, px);
      if (index >= 0) {
        props.onSelect({ kind: 'zone', id: zone.id });
        setActivePoint(index);
        drag.current = { kind: 'zone-point', id: zone.id, index };
        svgRef.current?.setPointerCapture(e.pointerId);
        return;
      }
      if (insidePolygon(pts, px) || hitEdge(pts, px, true)) {
        props.onSelect({ kind: 'zone', id: zone.id });
        drag.current = { kind: 'zone-move', id: zone.id, start: point, original: zone.polygon };
        svgRef.current?.setPointerCapture(e.pointerId);
        return;
      }
    }
    props.onSelect(null);
  };

  const onPointerMove = (e: ReactPointerEvent<SVGSVGElement>) => {
    const { point } = eventPoint(e);
    if (tool !== 'select') {
      setHover(point);
      return;
    }
    const d = drag.current;
    if (!d) return;
    if (d.kind === 'zone-point') {
      const zone = zones.find((z) => z.id === d.id);
      if (zone) props.onZone(d.id, zone.polygon.map((p, i) => (i === d.index ? point : p)));
    } else if (d.kind === 'line-point') {
      const line = lines.find((l) => l.id === d.id);
      if (line) {
        const next: [PicturePoint, PicturePoint] = d.index === 0 ? [point, line.points[1]] : [line.points[0], point];
        if (lineLength(next[0], next[1]) >= MIN_LINE_LENGTH) props.onLine(d.id, next);
      }
    } else if (d.kind === 'zone-move') {
      props.onZone(d.id, translatePoints(d.original, point[0] - d.start[0], point[1] - d.start[1]));
    } else {
      const moved = translatePoints(d.original, point[0] - d.start[0], point[1] - d.start[1]);
      props.onLine(d.id, [moved[0]!, moved[1]!]);
    }
  };

  const onPointerUp = (e: ReactPointerEvent<SVGSVGElement>) => {
    if (drag.current && svgRef.current?.hasPointerCapture(e.pointerId)) svgRef.current.releasePointerCapture(e.pointerId);
    drag.current = null;
  };

  const onDoubleClick = (e: ReactMouseEvent<SVGSVGElement>) => {
    if (tool === 'zone' || tool === 'mask') {
      finishPolygon();
      return;
    }
    if (tool === 'select' && selectedZone) {
      // Double-click on an edge of the selected zone adds a point there.
      const { point, px } = eventPoint(e);
      const edge = hitEdge(selectedZone.polygon.map(toPx), px, true);
      if (edge && hitPoint(selectedZone.polygon.map(toPx), px) < 0) {
        const next = insertPoint(selectedZone.polygon, edge.index, point);
        if (next) {
          props.onZone(selectedZone.id, next);
          setActivePoint(edge.index + 1);
        } else props.onHint('A zone has at most 64 points.');
      }
    }
  };

  const onContextMenu = (e: ReactMouseEvent<SVGSVGElement>) => {
    if (tool !== 'select') {
      e.preventDefault();
      // Right-click while drawing removes the last point.
      if (draft.length > 0) setDraft(draft.slice(0, -1));
      return;
    }
    const { px } = eventPoint(e);
    for (const zone of selectedZone ? [selectedZone, ...zones] : zones) {
      const index = hitPoint(zone.polygon.map(toPx), px);
      if (index < 0) continue;
      e.preventDefault();
      props.onSelect({ kind: 'zone', id: zone.id });
      const next = removePoint(zone.polygon, index);
      if (next) props.onZone(zone.id, next);
      else props.onHint('A zone keeps at least 3 points; delete the zone from the list instead.');
      setActivePoint(null);
      return;
    }
  };

  const draftPx = draft.map(toPx);
  const hoverPx = hover ? toPx(hover) : null;
  const drawing = tool !== 'select';
  const playing = view.state === 'live';

  return (
    <div ref={boxRef} className="zones-picture" data-state={view.state}>
      <video ref={videoRef} className="zones-video" muted playsInline disablePictureInPicture />
      {!playing && (
        <div className="zones-picture-state" data-testid="zones-picture-state">
          {STATE_LABELS[view.state]}
          {view.reason && (
            <>
              {' '}
              · <span className="reason-code">{view.reason}</span> {describeCode(view.reason)}
            </>
          )}
        </div>
      )}
      <svg
        ref={svgRef}
        className={`zones-canvas${drawing ? ' drawing' : ''}`}
        data-testid="zones-canvas"
        data-tool={tool}
        data-draft-points={draft.length}
        data-content={`${content.x.toFixed(1)},${content.y.toFixed(1)},${content.width.toFixed(1)},${content.height.toFixed(1)}`}
        width={box.width}
        height={box.height}
        tabIndex={0}
        role="application"
        aria-label="Zones and lines on the camera picture"
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onDoubleClick={onDoubleClick}
        onContextMenu={onContextMenu}
        onKeyDown={onKeyDown}
      >
        <defs>
          <pattern id={hatchId} patternUnits="userSpaceOnUse" width="10" height="10" patternTransform="rotate(45)">
            <rect width="10" height="10" className="zones-hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="10" className="zones-hatch-line" />
          </pattern>
        </defs>
        <rect x={content.x} y={content.y} width={content.width} height={content.height} className="zones-frame" />
        {zones.map((zone) => {
          const pts = zone.polygon.map(toPx);
          const isSelected = selectedZone?.id === zone.id;
          const c = pts.reduce((acc, p) => ({ x: acc.x + p.x / pts.length, y: acc.y + p.y / pts.length }), { x: 0, y: 0 });
          return (
            <g key={zone.id} className={`zones-shape zones-${zone.kind}${isSelected ? ' selected' : ''}`} data-shape-id={zone.id}>
              <polygon points={svgPoints(pts)} style={zone.kind === 'mask' ? { fill: `url(#${hatchId})` } : undefined} />
              <text x={c.x} y={c.y} className="zones-label">
                {zone.name}
              </text>
              {isSelected &&
                pts.map((p, i) => <circle key={i} cx={p.x} cy={p.y} r={activePoint === i ? 6 : 5} className={`zones-handle${activePoint === i ? ' active' : ''}`} />)}
            </g>
          );
        })}
        {lines.map((line) => {
          const [p1, p2] = line.points.map(toPx) as [Px, Px];
          const marks = lineMarks(p1, p2);
          const isSelected = selectedLine?.id === line.id;
          const toB = { x: -marks.normalA.x, y: -marks.normalA.y };
          const tipAB = { x: marks.mid.x + toB.x * 20, y: marks.mid.y + toB.y * 20 };
          const tipBA = { x: marks.mid.x + marks.normalA.x * 20, y: marks.mid.y + marks.normalA.y * 20 };
          return (
            <g key={line.id} className={`zones-shape zones-line${isSelected ? ' selected' : ''}`} data-shape-id={line.id} data-direction={line.direction}>
              <line x1={p1.x} y1={p1.y} x2={p2.x} y2={p2.y} />
              <line x1={tipAB.x} y1={tipAB.y} x2={tipBA.x} y2={tipBA.y} className="zones-arrow-shaft" />
              {line.direction !== 'b-to-a' && <path d={arrowHead(tipAB, toB, 11)} className="zones-arrow" />}
              {line.direction !== 'a-to-b' && <path d={arrowHead(tipBA, marks.normalA, 11)} className="zones-arrow" />}
              <text x={marks.labelA.x + marks.normalA.x * 16} y={marks.labelA.y + marks.normalA.y * 16} className="zones-side-label">
                a
              </text>
              <text x={marks.labelB.x - marks.normalA.x * 16} y={marks.labelB.y - marks.normalA.y * 16} className="zones-side-label">
                b
              </text>
              <text x={p1.x} y={p1.y - 8} className="zones-label">
                {line.name}
              </text>
              <circle cx={p1.x} cy={p1.y} r={isSelected ? 5 : 3} className="zones-handle" />
              <circle cx={p2.x} cy={p2.y} r={isSelected ? 5 : 3} className="zones-handle" />
            </g>
          );
        })}
        {draft.length > 0 && (
          <g className={`zones-draft zones-${tool === 'line' ? 'line' : tool}`}>
            {tool === 'line' ? (
              hoverPx && <line x1={draftPx[0]!.x} y1={draftPx[0]!.y} x2={hoverPx.x} y2={hoverPx.y} />
            ) : (
              <polyline points={svgPoints(hoverPx ? [...draftPx, hoverPx] : draftPx)} />
            )}
            {draftPx.map((p, i) => (
              <circle key={i} cx={p.x} cy={p.y} r={i === 0 && draft.length >= 3 ? 7 : 4} className={`zones-handle${i === 0 ? ' first' : ''}`} />
            ))}
          </g>
        )}
      </svg>
    </div>
  );
}
