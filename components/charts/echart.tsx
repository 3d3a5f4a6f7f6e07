"use client";

import { BarChart, CustomChart, LineChart } from "echarts/charts";
import { DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { useTheme } from "next-themes";
import { useEffect, useRef } from "react";

// Only what the console draws is bundled (ECharts' tree-shakable entry points).
echarts.use([BarChart, LineChart, CustomChart, GridComponent, TooltipComponent, LegendComponent, DataZoomComponent, MarkLineComponent, CanvasRenderer]);

export type TChartOption = echarts.EChartsCoreOption;

type TEChartProps = {
  option: TChartOption;
  /** What the chart shows, for screen readers (the data is also offered as a table or CSV beside it). */
  label: string;
  height?: number;
  className?: string;
};

/**
 * The one ECharts wrapper: creates the chart once per theme, applies options without
 * re-creating it, follows its container's size, and disposes of it on unmount.
 * Labels and tooltips are drawn on canvas, so asset names from the plant can never become markup.
 */
export function EChart({ option, label, height = 260, className }: TEChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const { resolvedTheme } = useTheme();

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const instance = echarts.init(element, resolvedTheme === "dark" ? "dark" : undefined, { renderer: "canvas" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, [resolvedTheme]);

  useEffect(() => {
    // Tooltips render as canvas rich text, never HTML: names from the plant (assets, reasons) cannot become markup.
    const tooltip = option.tooltip ? { ...(option.tooltip as object), renderMode: "richText" } : undefined;
    chart.current?.setOption({ backgroundColor: "transparent", animation: false, ...option, ...(tooltip ? { tooltip } : {}) }, { notMerge: true });
  }, [option, resolvedTheme]);

  return <div ref={container} role="img" aria-label={label} className={className} style={{ height, width: "100%" }} />;
}
