// Entry point of the webview bundle: one script for every view, chosen by the page's `data-view`.
import type { ViewState } from '../webviews/protocol';
import { Channel } from './channel';
import { mountGroupForm } from './groupFormView';
import { mountGroupPage } from './groupView';
import { mountNesting } from './nestingView';
import { mountOrgChart } from './orgChartView';
import { mountProfile } from './profileView';
import { mountTable } from './tableView';
import { mountUserForm } from './userFormView';
import type { MountContext, MountedView } from './view';

function mount(state: ViewState, ctx: MountContext): MountedView {
  switch (state.view) {
    case 'profile':
      return mountProfile(state, ctx);
    case 'groupForm':
      return mountGroupForm(state, ctx);
    case 'userForm':
      return mountUserForm(state, ctx);
    case 'group':
      return mountGroupPage(state, ctx);
    case 'orgChart':
      return mountOrgChart(state, ctx);
    case 'nesting':
      return mountNesting(state, ctx);
    case 'table':
      return mountTable(state, ctx);
  }
}

function start(): void {
  const root = document.getElementById('app');
  const view = document.body.dataset.view;
  if (!root || !view) return;
  const channel = new Channel();
  let current: MountedView | undefined;

  channel.listen((message) => {
    if (message.type !== 'init') {
      current?.receive(message);
      return;
    }
    if (message.state.view !== view) {
      console.warn('Entra ID webview: ignored the state of another view.');
      return;
    }
    // The extension sends a whole new state; rebuild, keeping focus and any request still running.
    const ctx: MountContext = { root, channel, pending: current?.pendingRequest(), focusedId: document.activeElement?.id || undefined };
    current?.dispose();
    root.replaceChildren();
    root.setAttribute('aria-busy', String(message.state.loading));
    current = mount(message.state, ctx);
  });
  channel.send({ type: 'ready' });
}

start();
