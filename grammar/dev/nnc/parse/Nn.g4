grammar Nn;
file : EOF ;
WS : [ \t\r\n]+ -> skip ;
