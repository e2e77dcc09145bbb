package org.callcentre.app.dialler;

import java.io.IOException;

import org.callcentre.app.dialler.LeadApi.ImportAnswer;
import org.callcentre.dialler.LeadImport;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.http.HttpServletRequest;

/**
 * A call list's leads from a CSV file, read from the request as it arrives (never held in memory). Not one
 * transaction around the request: the import writes in its own once the whole file has been read and checked.
 */
@RestController
public class LeadImportController {

    private final LeadImport imports;

    public LeadImportController(LeadImport imports) {
        this.imports = imports;
    }

    @PostMapping(path = "/api/call-lists/{id}/leads", consumes = "text/csv")
    public ImportAnswer importLeads(@PathVariable long id, @RequestParam(defaultValue = "false") boolean skipInvalid,
            HttpServletRequest request, Authentication caller) throws IOException {
        LeadImport.Report report = imports.importLeads(id, request.getInputStream(), skipInvalid, caller.getName());
        return new ImportAnswer(report.imported(), report.addedToList(), report.rejected());
    }
}
