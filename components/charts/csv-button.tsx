"use client";

import { Button } from "@/components/ui/button";
import { type TCsvColumn, toCsv } from "@/lib/csv/to-csv";

/** Downloads a chart's or table's data as formula-safe CSV, built in the browser from what is shown. */
export function CsvButton<TRow>({ filename, rows, columns, label = "CSV" }: { filename: string; rows: readonly TRow[]; columns: readonly TCsvColumn<TRow>[]; label?: string }) {
  const download = () => {
    const url = URL.createObjectURL(new Blob([toCsv(rows, columns)], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = filename;
    link.click();
    // The click has started the download; the URL is not needed after this task.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  };
  return (
    <Button variant="ghost" onClick={download} disabled={!rows.length} aria-label={`Download ${filename}`}>
      {label}
    </Button>
  );
}
