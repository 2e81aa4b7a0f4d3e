/**
 * The dashboard: the enabled plugins' `dashboardWidget`s, each in its own lazily created frame,
 * arranged by the user. **Arrange** shows, on each widget, a drag handle (@dnd-kit sortable;
 * Space picks it up, arrows carry it), Move earlier / Move later and Remove, plus an **Add
 * widget** list of the removed ones. The arrangement is saved in the profile at once.
 */
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import { SortableContext, rectSortingStrategy, sortableKeyboardCoordinates, useSortable } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useEffect, useState, type ReactNode } from 'react';
import type { DashboardLayout, SlotContribution } from '../../../preload/api.ts';
import { EmptyIcon } from '../icons.tsx';
import { PluginIcon } from '../plugin-icon.tsx';
import { SlotHost, slotTarget } from '../slot-host.tsx';
import { useTheme } from '../theme.ts';
import { useSlots, widgetKey } from '../shell/contributions.ts';
import { EMPTY_LAYOUT, addWidget, arrangeWidgets, hiddenWidgets, moveWidget, removeWidget } from '../shell/dashboard-layout.ts';
import { useShellActions } from '../shell/shell-actions.tsx';

function openSettings(): void {
  window.plinth.openSettings().catch((error: unknown) => console.error('Could not open settings', error));
}

function Widget(props: { widget: SlotContribution; arranging: boolean; index: number; count: number; onMove(to: number): void; onRemove(): void }): ReactNode {
  const { widget } = props;
  const key = widgetKey(widget);
  const theme = useTheme();
  const { navigate } = useShellActions();
  const sortable = useSortable({ id: key, disabled: !props.arranging });
  return (
    <section
      ref={sortable.setNodeRef} className={`card widget${sortable.isDragging ? ' dragging' : ''}`}
      style={{ transform: CSS.Transform.toString(sortable.transform), transition: sortable.transition, order: props.index }}
      data-index={props.index}
      data-testid="widget" data-plugin-id={widget.pluginId} data-widget-key={key} aria-label={widget.pluginDisplayName}
    >
      <header className="widget-caption">
        <PluginIcon src={widget.pluginIcon} />
        <span className="widget-title">{widget.pluginDisplayName}</span>
        {widget.slot.displayName !== widget.pluginDisplayName && <span className="muted">{widget.slot.displayName}</span>}
        {props.arranging && (
          <span className="widget-tools">
            <button type="button" className="icon-button small drag-handle" data-testid="widget-drag" aria-label={`Drag ${widget.slot.displayName}`} {...sortable.attributes} {...sortable.listeners}>⠿</button>
            <button type="button" className="icon-button small" data-testid="widget-earlier" aria-label={`Move ${widget.slot.displayName} earlier`} disabled={props.index === 0} onClick={() => props.onMove(props.index - 1)}>↑</button>
            <button type="button" className="icon-button small" data-testid="widget-later" aria-label={`Move ${widget.slot.displayName} later`} disabled={props.index === props.count - 1} onClick={() => props.onMove(props.index + 1)}>↓</button>
            <button type="button" className="icon-button small danger-hover" data-testid="widget-remove" aria-label={`Remove ${widget.slot.displayName} from the dashboard`} onClick={props.onRemove}>✕</button>
          </span>
        )}
      </header>
      <SlotHost target={slotTarget(widget)} theme={theme} onNavigate={navigate} />
    </section>
  );
}

/** The dashboard page. */
export function DashboardPage(): ReactNode {
  const widgets = useSlots('dashboardWidget');
  const [layout, setLayout] = useState<DashboardLayout | null>(null);
  const [arranging, setArranging] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { toast } = useShellActions();
  useEffect(() => {
    window.plinth.getDashboardLayout().then((l) => setLayout(l ?? EMPTY_LAYOUT), () => setLayout(EMPTY_LAYOUT));
  }, []);
  const sensors = useSensors(useSensor(PointerSensor), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const available = widgets.map(widgetKey);
  const current = layout ?? EMPTY_LAYOUT;
  const shownKeys = arrangeWidgets(available, current);
  const byKey = new Map(widgets.map((w) => [widgetKey(w), w]));
  const shown = shownKeys.map((k) => byKey.get(k)).filter((w): w is SlotContribution => w !== undefined);
  const hidden = hiddenWidgets(available, current).map((k) => byKey.get(k)).filter((w): w is SlotContribution => w !== undefined);

  const save = (next: DashboardLayout) => {
    setLayout(next);
    window.plinth.setDashboardLayout(next).then(() => setError(null), (e: unknown) => {
      setError(`The arrangement was not saved: ${e instanceof Error ? e.message : String(e)}`);
      toast('error', 'The dashboard arrangement was not saved');
    });
  };
  const onDragEnd = (event: DragEndEvent) => {
    if (!event.over || event.active.id === event.over.id) return;
    save(moveWidget(available, current, String(event.active.id), shownKeys.indexOf(String(event.over.id))));
  };

  return (
    <>
      <div className="page-heading row">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">Widgets from your enabled plugins</p>
        </div>
        {widgets.length > 0 && (
          <button type="button" className="button secondary small" data-testid="dashboard-arrange" aria-pressed={arranging} onClick={() => setArranging(!arranging)}>
            {arranging ? 'Done' : 'Arrange'}
          </button>
        )}
      </div>
      {error && <div className="alert" role="alert">{error}</div>}
      {arranging && hidden.length > 0 && (
        <div className="add-widgets" data-testid="add-widgets">
          <span className="muted">Add a widget:</span>
          {hidden.map((w) => (
            <button key={widgetKey(w)} type="button" className="button secondary small" data-testid="widget-add" data-widget-key={widgetKey(w)} onClick={() => save(addWidget(available, current, widgetKey(w)))}>
              <PluginIcon src={w.pluginIcon} /> {w.slot.displayName}
            </button>
          ))}
        </div>
      )}
      {layout && widgets.length === 0 && (
        <div className="empty-state" data-testid="empty-state">
          <EmptyIcon />
          <h2>No widgets yet</h2>
          <p>Plugins add widgets to this dashboard. Open Settings and switch a plugin on: its widget appears here right away.</p>
          <button type="button" className="button primary" onClick={openSettings}>Open settings</button>
        </div>
      )}
      {layout && shown.length > 0 && (
        <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}>
          <SortableContext items={shownKeys} strategy={rectSortingStrategy}>
            <div className="widget-grid" data-testid="widget-grid">
              {/* DOM order stays the host's (a moved iframe would reload); CSS `order` shows the arrangement. */}
              {widgets.filter((w) => shownKeys.includes(widgetKey(w))).map((w) => (
                <Widget
                  key={widgetKey(w)} widget={w} arranging={arranging} index={shownKeys.indexOf(widgetKey(w))} count={shown.length}
                  onMove={(to) => save(moveWidget(available, current, widgetKey(w), to))}
                  onRemove={() => save(removeWidget(available, current, widgetKey(w)))}
                />
              ))}
            </div>
          </SortableContext>
        </DndContext>
      )}
    </>
  );
}
