# tools: the demo competition, generated at build time and installed to
# $(pkgdatadir)/demo/
noinst_PROGRAMS += tools/gen_demo
tools_gen_demo_SOURCES = tools/gen_demo.c
tools_gen_demo_LDADD = -lm

demodir = $(pkgdatadir)/demo
demo_DATA = demo/train.csv demo/test.csv demo/sample_submission.csv demo/competition.json
CLEANFILES += $(demo_DATA)

demo/train.csv: tools/gen_demo$(EXEEXT)
	$(AM_V_GEN)$(MKDIR_P) demo && tools/gen_demo$(EXEEXT) demo
# One run writes all four files (the automake manual's multiple-outputs rule).
demo/test.csv demo/sample_submission.csv demo/competition.json: demo/train.csv
	@test -f $@ || { rm -f demo/train.csv && $(MAKE) $(AM_MAKEFLAGS) demo/train.csv; }
